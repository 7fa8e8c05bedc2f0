#!/usr/bin/env python3
"""Independent check of tests/vectors/group_v1.json against DESIGN.md "Groups".

Like verify_session_vectors.py (whose primitives it imports: that script runs
nothing on import), nothing here uses libsodium or candor: Ed25519 and
XChaCha20-Poly1305's parts come from OpenSSL through the `cryptography`
package, BLAKE2b (crypto_kdf, franking) from hashlib, protobuf is read by
hand. It parses the sender key distribution (a GroupControl whose field 16
is the SenderKeyDistribution), checks each field against the sender key and
its ownership proof ("candor/skd/v1" || G || lp(owner) || IK_owner ||
be32(kid) || be32(epoch), signed by the sender key), then for
both group messages: the kid, the signature by the sender key over
"candor/gsig/v1" || gad || ciphertext, the header G || be32(n) under HK_G,
the message key from the chain (crypto_kdf, context "candorGK"), the body
under it with the header's nonce and gad, the padded Frame, the text and
the group franking commitment. Exit status 0 and a last line
"N passed, 0 failed" when all agree.
"""
import hashlib
import os
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verify_session_vectors import (check, ed_verifies, kdf_ck, lp, parse_pb,  # noqa: E402
                                    run_and_report, unpad, xchacha_open)


def run(v):
    h = bytes.fromhex
    group, sender = h(v["group_id"]), v["sender"].encode()
    ik = h(v["sender_identity_public"])
    kid = int(v["key_id"])
    signing = Ed25519PrivateKey.from_private_bytes(h(v["signing_seed"]))
    signing_public = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    check("signing public key from its seed", signing_public.hex(), v["signing_public"])

    # The distribution: GroupControl { sender_key_distribution = 16 { ... } }.
    control = parse_pb(h(v["distribution_control"]))
    check("distribution: GroupControl has only field 16", sorted(control), [16])
    d = parse_pb(control[16][0])
    check("distribution group_id", d[1][0], group)
    check("distribution epoch", d[2][0], int(v["distribution_epoch"]))
    check("distribution key_id", d[3][0], kid)
    check("distribution iteration (0: omitted)", d.get(4, [0])[0], 0)
    check("distribution chain_key", d[5][0].hex(), v["chain_key_0"])
    check("distribution header_key", d[6][0].hex(), v["header_key"])
    check("distribution signing_key", d[7][0].hex(), v["signing_public"])
    check("distribution previous_key_id", d[8][0], int(v["distribution_previous_key_id"]))
    check("distribution previous_final_iteration", d[9][0],
          int(v["distribution_previous_final_iteration"]))
    ownership = (b"candor/skd/v1" + group + lp(sender) + ik + struct.pack(">I", kid) +
                 struct.pack(">I", int(v["distribution_epoch"])))
    check("distribution ownership proof by the sender key, for its owner",
          ed_verifies(signing_public, d[10][0], ownership), True)
    check("the proof does not pass for another owner",
          ed_verifies(signing_public, d[10][0],
                      ownership.replace(lp(sender), lp(b"mallory"), 1)), False)

    ck, hk = h(v["chain_key_0"]), h(v["header_key"])
    for n, name in enumerate(("m1", "m2")):
        m = h(v[name + "_message"])
        commitment = h(v[name + "_commitment"])
        check(name + " kid", struct.unpack(">I", m[:4])[0], kid)
        enc_header, ciphertext, sig = m[4:80], m[80:-64], m[-64:]
        gad = (b"candor/gad/v1" + group + ik + lp(sender) + struct.pack(">I", kid) + enc_header +
               commitment)
        check(name + " signature by the sender key",
              ed_verifies(signing_public, sig, b"candor/gsig/v1" + gad + ciphertext), True)
        header = xchacha_open(hk, enc_header[:24], enc_header[24:], b"candor/ghdr/v1")
        check(name + " header names the group", header[:32], group)
        check(name + " header iteration", struct.unpack(">I", header[32:])[0], n)
        mk, ck = kdf_ck(ck, b"candorGK")
        frame = parse_pb(unpad(xchacha_open(mk, enc_header[:24], ciphertext, gad)))
        body, fk = frame[1][0], frame[2][0]
        check(name + " franking key", fk.hex(), v[name + "_franking_key"])
        check(name + " text", parse_pb(body)[1][0], v[name + "_text"].encode())
        c = hashlib.blake2b(b"candor/gfrank/v1" + lp(sender) + group + body, digest_size=32,
                            key=fk).digest()
        check(name + " group franking commitment", c, commitment)
        # Not the one-to-one commitment: another label and no recipient.
        one_to_one = hashlib.blake2b(b"candor/frank/v1" + lp(sender) + lp(b"bob") + body,
                                     digest_size=32, key=fk).digest()
        check(name + " differs from a one-to-one commitment", c != one_to_one, True)


if __name__ == "__main__":
    # verify_group_vectors.py [FILE]
    sys.exit(run_and_report(run, sys.argv[1] if len(sys.argv) > 1 else "tests/vectors/group_v1.json"))
