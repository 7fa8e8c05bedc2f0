#!/usr/bin/env python3
"""Peak memory of attachments through the CLI (issue 16, docs/performance.md).

Runs the candor command on a 1 GiB file — send --attach (seal), blob put
(the reference store checks the id), receive --attachments-dir (fetch,
open, check, save) — and the same commands with an empty file (the empty
run), each under /usr/bin/time, and prints each one's peak resident
set size and the difference. Fails when a difference is above 32 MiB: the
streaming API holds one 64 KiB chunk, never the file.

  python3 scripts/attachment_memory.py [--candor build/release/cli/candor] [--size-mib 1024]

Not a test in ctest: it writes ~3 GiB to a temporary directory and takes
tens of seconds; run it by hand (docs/performance.md has the numbers).
"""
import argparse
import os
import subprocess
import sys
import tempfile

LIMIT_KIB = 32 * 1024


def peak_kib(cmd, env):
    """Runs cmd under /usr/bin/time; returns (peak RSS in KiB, stdout)."""
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return int(r.stderr.strip().splitlines()[-1]), r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--candor", default="build/dev/cli/candor")
    ap.add_argument("--size-mib", type=int, default=1024)
    args = ap.parse_args()
    candor = os.path.abspath(args.candor)
    with tempfile.TemporaryDirectory(prefix="candor-mem-") as d:
        p = lambda name: os.path.join(d, name)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "CANDOR_DB_KEY": "a5" * 32}
        run = lambda *a: peak_kib([candor, *a], env)
        run("init", "--db", p("alice.db"), "--account", "alice")
        run("init", "--db", p("bob.db"), "--account", "bob")
        run("keygen", "relay", "--out", p("relay.key"))
        run("bundle", "--db", p("bob.db"), "--out", p("bob.bundle"))
        # A first message sets the session up, so the measured ones are all
        # ratchet messages.
        run("send", "--db", p("alice.db"), "--to", "bob", "--bundle", p("bob.bundle"), "--text",
            "hi", "--out", p("e0"))
        run("relay", "--key", p("relay.key"), "--in", p("e0"), "--out", p("d0"), "--ack-out", p("a0"))
        run("receive", "--db", p("bob.db"), "--in", p("d0"))
        # The empty run: the same commands with an empty file.
        open(p("empty.bin"), "wb").close()
        base_send, _ = run("send", "--db", p("alice.db"), "--to", "bob", "--text", "no bytes",
                           "--attach", p("empty.bin"), "--blob-dir", p("outbox0"), "--out", p("e1"))
        blob0 = [os.path.join(p("outbox0"), n) for n in os.listdir(p("outbox0"))][0]
        base_put, _ = run("blob", "put", "--store", p("store"), "--in", blob0, "--from", "alice")
        run("relay", "--key", p("relay.key"), "--in", p("e1"), "--out", p("d1"), "--ack-out", p("a1"))
        base_receive, _ = run("receive", "--db", p("bob.db"), "--in", p("d1"), "--attachments-dir",
                              p("inbox0"), "--blob-store", p("store"))
        # The file: sparse, so making it costs nothing; every byte is still
        # read, sealed, hashed, stored, fetched, opened and written.
        with open(p("big.bin"), "wb") as f:
            f.truncate(args.size_mib << 20)
        send, out = run("send", "--db", p("alice.db"), "--to", "bob", "--text", "a big file",
                        "--attach", p("big.bin"), "--blob-dir", p("outbox"), "--out", p("e2"))
        blob = [os.path.join(p("outbox"), n) for n in os.listdir(p("outbox"))][0]
        put, _ = run("blob", "put", "--store", p("store"), "--in", blob, "--from", "alice")
        run("relay", "--key", p("relay.key"), "--in", p("e2"), "--out", p("d2"), "--ack-out", p("a2"))
        receive, _ = run("receive", "--db", p("bob.db"), "--in", p("d2"), "--attachments-dir",
                         p("inbox"), "--blob-store", p("store"))
        saved = os.path.join(p("inbox"), os.listdir(p("inbox"))[0])
        if os.path.getsize(saved) != args.size_mib << 20:
            sys.exit("the saved file has the wrong size")
        rows = [("send --attach", send, base_send), ("blob put", put, base_put),
                ("receive --attachments-dir", receive, base_receive)]
        ok = True
        print(f"peak RSS with a {args.size_mib} MiB attachment (KiB), against an empty file:")
        for name, peak, base in rows:
            delta = peak - base
            ok &= delta <= LIMIT_KIB
            print(f"  {name:28s} {peak:8d}  empty run {base:8d}  +{delta / 1024:.1f} MiB"
                  f"  {'ok' if delta <= LIMIT_KIB else 'OVER 32 MiB'}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
