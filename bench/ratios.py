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
    for extra in ("candor/session_save", "candor/session_save_load", "candor/history_last5_1M"):
        if extra in c:
            print("%-26s %8.2f us" % (extra, c[extra]))
    # Storage: candor against the bare one-row insert (the target);
    # the least any layout could reach (that insert plus the decryption a
    # receive cannot skip, the *_decrypt_only benchmarks); and candor against
    # the bare transaction writing the rows a receive must write.
    for name, floor, work, rows, target in (
            ("candor/receive_persisted_full", "candor/floor_insert_full",
             "candor/receive_decrypt_only", "candor/floor_receive_rows_full", 1.25),
            ("candor/receive_persisted_normal", "candor/floor_insert_normal",
             "candor/receive_decrypt_only", "candor/floor_receive_rows_normal", 1.25),
            ("candor/catch_up_1000", "candor/floor_insert_1000",
             "candor/catch_up_1000_decrypt_only", "candor/floor_receive_rows_1000", 1.3)):
        if name not in c or floor not in c:
            continue
        extra = ""
        if work in c:
            extra += "  least reachable %.2fx" % ((c[floor] + c[work]) / c[floor])
        if rows in c:
            extra += "  vs its rows bare %.2fx (%.1f us)" % (c[name] / c[rows], c[rows])
        print("%-32s %10.1f us vs %10.1f us  %.2fx (<=%.2f)%s" % (
            name, c[name], c[floor], c[name] / c[floor], target, extra))

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/bench-results")
