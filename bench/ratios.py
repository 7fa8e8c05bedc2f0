#!/usr/bin/env python3
"""Prints candor's ratios against its floors and, when present, the peers,
from the Google Benchmark JSON files scripts/bench.sh writes (median real
time of the repetitions)."""
import json
import os
import sys


def medians(path):
    if not os.path.exists(path):
        return {}
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name") == "median":
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
            out[b["run_name"]] = b["real_time"] * scale  # microseconds
    return out


def main(folder):
    c = medians(os.path.join(folder, "candor.json"))
    s = medians(os.path.join(folder, "signal.json"))
    o = medians(os.path.join(folder, "olm.json"))
    rows = [
        ("one_way", c.get("candor/one_way"), c.get("candor/floor_one_way"), 1.3,
         s.get("signal/one_way_msg"), 0.4, o.get("olm/one_way_msg")),
        ("ping_pong", c.get("candor/ping_pong"), c.get("candor/floor_ping_pong"), 1.2,
         s.get("signal/ping_pong_msg"), 0.3, o.get("olm/ping_pong_msg")),
        ("group", c.get("candor/group_one_way"), c.get("candor/floor_group_one_way"), 1.2,
         s.get("signal/group_one_way_msg"), 0.6, o.get("olm/group_one_way_msg")),
    ]
    print("%-10s %10s %10s %16s %14s %18s %10s" % ("per msg", "candor us", "floor us",
                                                  "vs floor (tgt)", "signal us", "vs signal (tgt)",
                                                  "olm us"))
    for name, mine, floor, ft, sig, st, olm in rows:
        if mine is None:
            continue
        vf = "%.2fx (<=%.1f)" % (mine / floor, ft) if floor else "-"
        vs = "%.2fx (<=%.1f)" % (mine / sig, st) if sig else "-"
        print("%-10s %10.2f %10.2f %16s %14s %18s %10s" % (
            name, mine, floor or 0, vf, "%.1f" % sig if sig else "-", vs, "%.1f" % olm if olm else "-"))
    # Attachments: 64 MiB sealed and opened against the libsodium calls
    # straight (target 1.15).
    mine, floor = c.get("candor/attachment_roundtrip_64MiB"), c.get("candor/floor_attachment_64MiB")
    if mine is not None and floor:
        ratio = mine / floor
        print("%-26s %8.1f ms vs floor %8.1f ms  %.2fx (<=1.15)%s  %.0f MiB/s" % (
            "attachment_roundtrip_64MiB", mine / 1e3, floor / 1e3, ratio,
            "" if ratio <= 1.15 else " MISSED", 64 / (mine / 1e6)))
    # ML-KEM-768: the wrapper against the bare PQClean calls (target 1.05).
    for op in ("keygen", "encaps", "decaps"):
        mine, bare = c.get("candor/mlkem768_" + op), c.get("candor/floor_mlkem768_" + op)
        if mine is not None and bare:
            ratio = mine / bare
            print("%-26s %8.2f us vs bare %8.2f us  %.3fx (<=1.05)%s" % (
                "mlkem768_" + op, mine, bare, ratio, "" if ratio <= 1.05 else " MISSED"))
    # Session setup, PQXDH against X3DH (bundle decode to the first message
    # decrypted; sizes from the benchmarks' counters).
    x, pq = c.get("candor/session_setup_x3dh"), c.get("candor/session_setup_pqxdh")
    if x and pq:
        size = {b["run_name"]: b for b in json.load(open(os.path.join(folder, "candor.json")))[
            "benchmarks"] if b.get("aggregate_name") == "median"}
        print("%-26s %8.2f us vs x3dh %8.2f us  %.2fx (+%.2f us)" % (
            "session_setup_pqxdh", pq, x, pq / x, pq - x))
        for counter in ("bundle_bytes", "first_envelope_bytes"):
            print("  %-24s %6d -> %6d" % (counter, size["candor/session_setup_x3dh"][counter],
                                          size["candor/session_setup_pqxdh"][counter]))
    # Groups of 1,024 devices: one send, and the rekey after a removal
    # against 1,022 one-to-one encryptions of the distribution's size.
    send, rekey, unit = (c.get("candor/group_send_1024"), c.get("candor/group_rekey_1024"),
                         c.get("candor/encrypt_only"))
    if send:
        print("%-26s %8.2f us" % ("group_send_1024", send))
    if rekey and unit:
        print("%-26s %8.2f us vs 1022 x encrypt_only %8.2f us  %.2fx (<=1.3)" % (
            "group_rekey_1024", rekey, 1022 * unit, rekey / (1022 * unit)))
    stored = c.get("candor/group_rekey_1024_sqlcipher")
    if stored and unit:
        print("%-26s %8.2f us vs 1022 x encrypt_only %8.2f us  %.2fx (in one synced transaction)" % (
            "group_rekey_1024_sqlcipher", stored, 1022 * unit, stored / (1022 * unit)))
    for extra in ("candor/session_save", "candor/session_save_load"):
        if extra in c:
            print("%-26s %8.2f us" % (extra, c[extra]))
    # Storage: candor against the bare transaction writing the rows a receive
    # must write (message, session, replay marker, search index), measured in
    # this run. The one-row insert is shown for the per-page cost only.
    print()
    print("%-32s %12s %12s %14s %12s" % ("storage", "candor us", "rows bare us", "ratio (tgt)",
                                          "1-row ins us"))
    for name, rows, target, insert in (
            ("candor/receive_persisted_full", "candor/floor_receive_rows_full", 1.15,
             "candor/floor_insert_full"),
            ("candor/receive_persisted_normal", "candor/floor_receive_rows_normal", 1.15,
             "candor/floor_insert_normal"),
            ("candor/catch_up_1000", "candor/floor_receive_rows_1000", 1.15,
             "candor/floor_insert_1000")):
        if name not in c or rows not in c:
            continue
        ratio = c[name] / c[rows]
        print("%-32s %12.1f %12.1f %8.2fx (<=%.2f)%s %12s" % (
            name, c[name], c[rows], ratio, target, "" if ratio <= target else " MISSED",
            "%.1f" % c[insert] if insert in c else "-"))
    if "candor/floor_receive_rows_unindexed_normal" in c and "candor/floor_receive_rows_normal" in c:
        print("%-32s %12s %12.1f   (the index adds %.1f us)" % (
            "  rows bare without the index", "", c["candor/floor_receive_rows_unindexed_normal"],
            c["candor/floor_receive_rows_normal"] - c["candor/floor_receive_rows_unindexed_normal"]))
    for name, target in (("candor/history_last5_1M", 20.0), ("candor/history_last5_random_1M", None),
                         ("candor/search_1M", None), ("candor/search_absent_1M", None),
                         ("candor/report_prepare_seal_1M", None)):
        if name in c:
            print("%-32s %12.1f us%s" % (name, c[name], " (<=%.0f us)%s" % (
                target, "" if c[name] <= target else " MISSED") if target else ""))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/bench-results")
