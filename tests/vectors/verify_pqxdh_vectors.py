#!/usr/bin/env python3
"""Independent check of tests/vectors/pqxdh_v1.json against DESIGN.md.

The PQXDH counterpart of verify_session_vectors.py, and like it, nothing here
uses libsodium, PQClean or candor: X25519, Ed25519, HKDF-SHA256 and
ChaCha20-Poly1305 come from OpenSSL through the `cryptography` package,
BLAKE2b (crypto_kdf, franking) and SHA3-256 from hashlib, XChaCha20 is built
from HChaCha20, which is derived from a raw ChaCha20 block, and protobuf is
read by hand. The primitives and the message opening are
verify_session_vectors.py's, imported (that script runs nothing on import).

ML-KEM-768 itself is not implemented here (Wycheproof's vectors cover it):
the script checks that each decapsulation key in the file carries, in the
FIPS 203 layout, the encapsulation key the bundle publishes and its SHA3-256
hash, and takes the shared secret ss from the file. It checks the bundle's
three signatures (and that the ML-KEM labels separate the two kinds of
prekey), the ML-KEM fields of alice's prekey message, recomputes PQXDH from
bob's side (DH1..DH4, then HKDF with ss and info "candor/pqxdh/v1", and that
the classical X3DH derivation gives a different key), the first ratchet
step on both sides, decrypts both messages (header and body), and checks
franking commitments and relay tags. Exit status 0 and a last line
"N passed, 0 failed" when all agree.
"""
import hashlib
import json
import os
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verify_session_vectors import (check, ed_verifies, lp, x25519, x25519_pub,  # noqa: E402
                                    ed_to_x_private, ed_to_x_public, hkdf, kdf_rk, parse_pb,
                                    run_and_report, open_message as open_versioned_message)


def open_message(envelope, header_key, chain_key, ad, sender, recipient, v, tag_name, time):
    return open_versioned_message(envelope, header_key, chain_key, ad, sender, recipient, v,
                                  tag_name, time, WIRE_VERSION)

P = 2**255 - 19
WIRE_VERSION = 2  # bundle and envelope version byte (kWireVersion)

# ML-KEM-768 sizes (FIPS 203, k = 3).
MLKEM_Q = 3329
MLKEM_EK_BYTES = 1184          # ByteEncode12(t) (1152) || rho (32)
MLKEM_DK_PKE_BYTES = 1152
MLKEM_DK_BYTES = 2400          # dk_PKE || ek || H(ek) || z
MLKEM_CT_BYTES = 1088
MLKEM_SS_BYTES = 32

PQ_KIND_LAST_RESORT, PQ_KIND_ONE_TIME = 1, 2



def be32(n):
    return struct.pack(">I", n)


def ed_pub(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def field(fields, num):
    """The single value of a field, or None when absent."""
    values = fields.get(num, [])
    return values[0] if len(values) == 1 else None


def mlkem_ek_in_range(ek):
    # FIPS 203 modulus check: ByteDecode12 of the first 384k bytes gives
    # coefficients that must all be below q.
    t = ek[:MLKEM_DK_PKE_BYTES]
    for i in range(0, len(t), 3):
        b0, b1, b2 = t[i], t[i + 1], t[i + 2]
        if (b0 | (b1 & 0x0F) << 8) >= MLKEM_Q or (b1 >> 4 | b2 << 4) >= MLKEM_Q:
            return False
    return True


def check_mlkem_dk(name, dk, published_ek):
    """dk = dk_PKE(1152) || ek(1184) || H(ek)(32) || z(32) (FIPS 203, Alg. 16)."""
    check(name + " dk is 2400 bytes", len(dk), MLKEM_DK_BYTES)
    ek = dk[MLKEM_DK_PKE_BYTES:MLKEM_DK_PKE_BYTES + MLKEM_EK_BYTES]
    h_ek = dk[MLKEM_DK_PKE_BYTES + MLKEM_EK_BYTES:MLKEM_DK_BYTES - 32]
    check(name + " published key is 1184 bytes", len(published_ek), MLKEM_EK_BYTES)
    check(name + " dk holds the bundle's encapsulation key", ek, published_ek)
    check(name + " dk holds H(ek) = SHA3-256(ek)", h_ek, hashlib.sha3_256(ek).digest())
    check(name + " encapsulation key passes the modulus check", mlkem_ek_in_range(published_ek), True)


def run(v):
    h = bytes.fromhex
    a_seed, b_seed = h(v["alice_identity_seed"]), h(v["bob_identity_seed"])
    ik_a, ik_b = ed_pub(a_seed), ed_pub(b_seed)
    check("alice identity public", ik_a.hex(), v["alice_identity_public"])
    check("bob identity public", ik_b.hex(), v["bob_identity_public"])

    # 1. Bob's bundle: version byte 2, then PrekeyBundle.
    raw_bundle = h(v["bundle"])
    check("bundle version byte", raw_bundle[0], WIRE_VERSION)
    bundle = parse_pb(raw_bundle[1:])
    check("bundle account", field(bundle, 1), b"bob")
    check("bundle identity key", field(bundle, 2), ik_b)
    spk_priv, opk_priv = h(v["bob_signed_prekey_private"]), h(v["bob_one_time_prekey_private"])
    spk, opk = x25519_pub(spk_priv), x25519_pub(opk_priv)
    spk_id, opk_id = field(bundle, 3), field(bundle, 6)
    check("bundle signed prekey", field(bundle, 4), spk)
    check("bundle one-time prekey id present", opk_id is not None, True)
    check("bundle one-time prekey", field(bundle, 7), opk)
    check("signed prekey signature verifies (candor/spk/v1)",
          ed_verifies(ik_b, field(bundle, 5), b"candor/spk/v1" + be32(spk_id) + spk), True)

    pq_spk_id, pq_spk, pq_spk_sig = field(bundle, 8), field(bundle, 9), field(bundle, 10)
    pq_opk_id, pq_opk, pq_opk_sig = field(bundle, 11), field(bundle, 12), field(bundle, 13)
    check("bundle pq signed prekey present", None not in (pq_spk_id, pq_spk, pq_spk_sig), True)
    check("bundle pq one-time prekey present", None not in (pq_opk_id, pq_opk, pq_opk_sig), True)
    check("pq signed prekey signature verifies (candor/pqspk/v1)",
          ed_verifies(ik_b, pq_spk_sig, b"candor/pqspk/v1" + be32(pq_spk_id) + pq_spk), True)
    check("pq one-time prekey signature verifies (candor/pqopk/v1)",
          ed_verifies(ik_b, pq_opk_sig, b"candor/pqopk/v1" + be32(pq_opk_id) + pq_opk), True)
    # Domain separation: neither ML-KEM signature verifies under the other label.
    check("pq one-time prekey signature does not verify as a pqspk",
          ed_verifies(ik_b, pq_opk_sig, b"candor/pqspk/v1" + be32(pq_opk_id) + pq_opk), False)
    check("pq signed prekey signature does not verify as a pqopk",
          ed_verifies(ik_b, pq_spk_sig, b"candor/pqopk/v1" + be32(pq_spk_id) + pq_spk), False)

    # 2. ML-KEM: the decapsulation keys match the published keys; ss is taken
    # from the file.
    check_mlkem_dk("pq signed prekey", h(v["bob_pq_signed_prekey_dk"]), pq_spk)
    check_mlkem_dk("pq one-time prekey", h(v["bob_pq_one_time_prekey_dk"]), pq_opk)
    ss = h(v["pq_shared_secret"])
    check("pq shared secret is 32 bytes", len(ss), MLKEM_SS_BYTES)

    # 3. Alice's first message: a PrekeyMessage carrying the ML-KEM fields.
    ek = h(v["ephemeral_public"])
    pq_ct = h(v["pq_ciphertext"])
    check("pq ciphertext is 1088 bytes", len(pq_ct), MLKEM_CT_BYTES)
    check("vector pq kind is one-time", int(v["pq_kind"]), PQ_KIND_ONE_TIME)
    check("vector pq prekey id is the bundle's one-time one", int(v["pq_prekey_id"]), pq_opk_id)
    m1 = h(v["m1_envelope"])
    m1_env = parse_pb(m1[1:])
    check("m1 is a prekey message", field(m1_env, 4), 1)
    prekey_msg = parse_pb(field(m1_env, 5))
    check("m1 prekey message identity key", field(prekey_msg, 1), ik_a)
    check("m1 prekey message ephemeral key", field(prekey_msg, 2), ek)
    check("m1 prekey message signed prekey id", field(prekey_msg, 3), spk_id)
    check("m1 prekey message one-time prekey id", field(prekey_msg, 4), opk_id)
    check("m1 prekey message pq kind", field(prekey_msg, 6), int(v["pq_kind"]))
    check("m1 prekey message pq prekey id", field(prekey_msg, 7), int(v["pq_prekey_id"]))
    check("m1 prekey message pq ciphertext", field(prekey_msg, 8), pq_ct)

    # 4. PQXDH from Bob's side (Alice's ephemeral private key is not needed).
    dh1 = x25519(spk_priv, ed_to_x_public(ik_a))
    dh2 = x25519(ed_to_x_private(b_seed), ek)
    dh3 = x25519(spk_priv, ek)
    dh4 = x25519(opk_priv, ek)
    dhs = b"\xff" * 32 + dh1 + dh2 + dh3 + dh4
    okm = hkdf(bytes(32), dhs + ss, b"candor/pqxdh/v1", 96)
    sk, hk_ab, nhk_ba = okm[:32], okm[32:64], okm[64:]
    check("pqxdh shared key", sk.hex(), v["pqxdh_shared_key"])
    check("pqxdh hk_ab", hk_ab.hex(), v["pqxdh_hk_ab"])
    check("pqxdh nhk_ba", nhk_ba.hex(), v["pqxdh_nhk_ba"])
    ad = b"candor/ad/v1" + ik_a + ik_b + lp(b"alice") + lp(b"bob")
    check("pqxdh associated data", ad.hex(), v["pqxdh_associated_data"])
    classical = hkdf(bytes(32), dhs, b"candor/x3dh/v1", 96)
    check("classical x3dh derivation gives a different key", classical[:32].hex() != v["pqxdh_shared_key"],
          True)

    # 5. Alice's first ratchet step: RK, CKs = KDF_RK(SK, DH(A_ratchet, SPK_B)).
    a_ratchet = h(v["alice_ratchet_private"])
    _, a_cks, _ = kdf_rk(sk, x25519(a_ratchet, spk))
    time = int(v["server_time"])
    dh, pn, n, text = open_message(m1, hk_ab, a_cks, ad, b"alice", b"bob", v, "m1", time)
    check("m1 header ratchet key", dh, x25519_pub(a_ratchet))
    check("m1 header counters", (pn, n), (0, 0))
    check("m1 text", text, b"hello bob")

    # Bob's DH ratchet on receiving: receive chain, then his new sending chain.
    rk, _, _ = kdf_rk(sk, x25519(spk_priv, dh))
    b_ratchet = h(v["bob_ratchet_private"])
    _, b_cks, _ = kdf_rk(rk, x25519(b_ratchet, dh))
    m2 = h(v["m2_envelope"])
    check("m2 is a ratchet message", field(parse_pb(m2[1:]), 4), 2)
    dh, pn, n, text = open_message(m2, nhk_ba, b_cks, ad, b"bob", b"alice", v, "m2", time + 1)
    check("m2 header ratchet key", dh, x25519_pub(b_ratchet))
    check("m2 header counters", (pn, n), (0, 0))
    check("m2 text", text, b"hi alice")


if __name__ == "__main__":
    # verify_pqxdh_vectors.py [FILE]
    sys.exit(run_and_report(run, sys.argv[1] if len(sys.argv) > 1 else "tests/vectors/pqxdh_v1.json"))
