#!/usr/bin/env python3
"""Independent check of tests/vectors/group_membership_v1.json (docs/groups.md).

Nothing here uses libsodium or candor: BLAKE2b from hashlib, protobuf read
by hand (verify_session_vectors.py's helpers). It parses alice's creation
of the group (GroupControl field 17, GroupChange with `create`) and her add
of dave on top (epoch 2, previous change = the creation's BLAKE2b-256),
checks both digests, parses the welcome dave gets (GroupControl field 18:
the group as of the add, with the add itself) and recomputes the
membership digest of that epoch:
  BLAKE2b-256("candor/gmembers/v1" || G || be32(epoch) || last change ||
              lp(name) || lp(picture) || per member, sorted: lp(account) || admin)
and the tie-break ranks of alice and bob for the next epoch,
BLAKE2b-256(previous change || author). Exit status 0 and a last line
"N passed, 0 failed" when all agree.
"""
import hashlib
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verify_session_vectors import check, lp, parse_pb, run_and_report  # noqa: E402


def b2(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def run(v):
    h = bytes.fromhex
    group = h(v["group_id"])
    create, add, welcome = h(v["create"]), h(v["add"]), h(v["welcome"])

    control = parse_pb(create)
    check("creation: GroupControl has only field 17", sorted(control), [17])
    c = parse_pb(control[17][0])
    check("creation group_id", c[1][0], group)
    check("creation epoch", c[2][0], 1)
    check("creation author", c[10][0], b"alice")
    check("creation previous change is zeros", c[3][0], bytes(32))
    body = parse_pb(c[4][0])
    check("creation name", body[1][0], b"Book club")
    check("creation picture", body[2][0], bytes([1, 2, 3]))
    check("creation members, sorted", body[3], [b"bob", b"carol"])
    check("creation digest", b2(create).hex(), v["create_digest"])

    control = parse_pb(add)
    a = parse_pb(control[17][0])
    check("add epoch", a[2][0], 2)
    check("add author", a[10][0], b"alice")
    check("add builds on the creation", a[3][0], h(v["create_digest"]))
    check("add names dave", parse_pb(a[5][0])[1], [b"dave"])
    check("add digest", b2(add).hex(), v["add_digest"])

    control = parse_pb(welcome)
    check("welcome: GroupControl has only field 18", sorted(control), [18])
    w = parse_pb(control[18][0])
    check("welcome group_id", w[1][0], group)
    check("welcome author", w[2][0], b"alice")
    check("welcome epoch", w[3][0], 2)
    check("welcome last change is the add's digest", w[4][0], b2(add))
    check("welcome carries the add itself", w[8][0], add)
    members = []
    for m in w[7]:
        f = parse_pb(m)
        members.append((f[1][0], f.get(2, [0])[0]))
    check("welcome members, sorted, alice admin",
          members, [(b"alice", 1), (b"bob", 0), (b"carol", 0), (b"dave", 0)])

    digest_input = (b"candor/gmembers/v1" + group + struct.pack(">I", w[3][0]) + w[4][0] +
                    lp(w[5][0]) + lp(w[6][0]) +
                    b"".join(lp(account) + bytes([admin]) for account, admin in members))
    check("membership digest", b2(digest_input).hex(), v["membership_digest"])
    for author in ("alice", "bob"):
        check("rank of " + author, b2(b2(add) + author.encode()).hex(), v["rank_" + author])


if __name__ == "__main__":
    sys.exit(run_and_report(run, sys.argv[1]))
