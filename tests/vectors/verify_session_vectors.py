#!/usr/bin/env python3
"""Independent check of tests/vectors/session_v*.json against DESIGN.md.

Nothing here uses libsodium or candor: X25519, Ed25519, HKDF-SHA256 and
ChaCha20-Poly1305 come from OpenSSL through the `cryptography` package,
BLAKE2b (crypto_kdf, franking) from hashlib, XChaCha20 is built from
HChaCha20, which is derived from a raw ChaCha20 block, and protobuf is read
by hand. It recomputes X3DH, the first ratchet step on both sides, decrypts
both messages (header and body), and checks franking commitments and relay
tags. Wire version 2 (session_v2.json) seals each body under the 24 random
bytes that open its encrypted header; version 1 (session_v1.json, kept as the
record of the old format) used an all-zero nonce. The version byte of each
envelope picks the rule. Exit status 0 and a last line "N passed, 0 failed"
when all agree.
"""
import hashlib
import json
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

P = 2**255 - 19
checks = {"passed": 0, "failed": 0}


def check(name, got, want):
    ok = got == want
    checks["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name)


def lp(b):
    return struct.pack(">H", len(b)) + b


def x25519(priv, pub):
    return X25519PrivateKey.from_private_bytes(priv).exchange(X25519PublicKey.from_public_bytes(pub))


def x25519_pub(priv):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ed_to_x_private(seed):
    return hashlib.sha512(seed).digest()[:32]  # X25519 clamps it


def ed_to_x_public(pk):
    y = int.from_bytes(pk, "little") & ((1 << 255) - 1)
    u = (1 + y) * pow(1 - y, P - 2, P) % P
    return u.to_bytes(32, "little")


def hkdf(salt, ikm, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def kdf_ck(ck, context=b"candorCK"):
    # crypto_kdf_derive_from_key(32, id, context, ck): BLAKE2b-256 keyed
    # with ck, salt = le64(id) || 0^8, personal = context || 0^8. The
    # ratchet's chains use "candorCK", Sender Keys "candorGK".
    def sub(i):
        return hashlib.blake2b(b"", digest_size=32, key=ck, salt=struct.pack("<Q", i) + bytes(8),
                               person=context + bytes(8)).digest()
    return sub(1), sub(2)  # message key, next chain key


def ed_verifies(public, signature, message):
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def run_and_report(run, path):
    # For the scripts that check other vector files with these helpers: a
    # step that raises (a failed AEAD open, a missing field) is one more
    # failure, then the summary line and the exit status.
    try:
        run(json.load(open(path)))
    except Exception as e:
        check("no step raised (%s)" % ": ".join(filter(None, (type(e).__name__, str(e)))), False, True)
    print("%d passed, %d failed" % (checks["passed"], checks["failed"]))
    return 0 if checks["failed"] == 0 else 1


def kdf_rk(rk, dh):
    okm = hkdf(rk, dh, b"candor/ratchet/root/v1", 96)
    return okm[:32], okm[32:64], okm[64:]


def hchacha20(key, nonce16):
    # A ChaCha20 block is rounds(state) + state; HChaCha20 is rounds(state)
    # words 0-3 and 12-15, so subtract the known input words back out.
    block = Cipher(algorithms.ChaCha20(key, nonce16), mode=None).encryptor().update(bytes(64))
    out_words = struct.unpack("<16I", block)
    consts = struct.unpack("<4I", b"expand 32-byte k")
    nwords = struct.unpack("<4I", nonce16)
    words = [(out_words[i] - consts[i]) % 2**32 for i in range(4)]
    words += [(out_words[12 + i] - nwords[i]) % 2**32 for i in range(4)]
    return struct.pack("<8I", *words)


def xchacha_open(key, nonce24, ct, ad):
    subkey = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(subkey).decrypt(bytes(4) + nonce24[16:], ct, ad)


def read_varint(b, i):
    shift = value = 0
    while True:
        value |= (b[i] & 0x7F) << shift
        shift += 7
        i += 1
        if not b[i - 1] & 0x80:
            return value, i


def parse_pb(b):
    fields, i = {}, 0
    while i < len(b):
        key, i = read_varint(b, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, i = read_varint(b, i)
        elif wire == 2:
            n, i = read_varint(b, i)
            value, i = b[i:i + n], i + n
        else:
            raise ValueError("unexpected wire type %d" % wire)
        fields.setdefault(num, []).append(value)
    return fields


def unpad(padded):
    body = padded.rstrip(b"\x00")
    assert body.endswith(b"\x80") and len(padded) >= 256 and len(padded) & (len(padded) - 1) == 0
    return body[:-1]


def open_message(envelope, header_key, chain_key, ad, sender, recipient, v, tag_name, time, version):
    env = parse_pb(envelope[1:])
    check(tag_name + " envelope version byte", envelope[0], version)
    check(tag_name + " envelope addresses", (env[1][0], env[2][0]), (sender, recipient))
    commitment = env[3][0]
    payload = parse_pb(env[5][0])
    ratchet = parse_pb(payload[5][0]) if env[4][0] == 1 else payload
    enc_header, body = ratchet[1][0], ratchet[2][0]
    check(tag_name + " encrypted header is 80 bytes", len(enc_header), 80)
    header = xchacha_open(header_key, enc_header[:24], enc_header[24:], b"candor/hdr/v1")
    dh, pn, n = header[:32], *struct.unpack(">II", header[32:])
    mk, _ = kdf_ck(chain_key)
    body_nonce = enc_header[:24] if version >= 2 else bytes(24)
    padded = xchacha_open(mk, body_nonce, body, ad + enc_header + commitment)
    frame = parse_pb(unpad(padded))
    content, fk = frame[1][0], frame[2][0]
    check(tag_name + " franking key", fk.hex(), v[tag_name + "_franking_key"])
    c = hashlib.blake2b(b"candor/frank/v1" + lp(sender) + lp(recipient) + content, digest_size=32,
                        key=fk).digest()
    check(tag_name + " franking commitment", c, commitment)
    check(tag_name + " commitment in vectors", c.hex(), v[tag_name + "_commitment"])
    relay_key = bytes.fromhex(v["relay_key"])
    s = hashlib.blake2b(b"candor/relay/v1" + c + lp(sender) + lp(recipient) + struct.pack(">Q", time),
                        digest_size=32, key=relay_key).digest()
    check(tag_name + " relay tag", s.hex(), v[tag_name + "_relay_tag"])
    return dh, pn, n, parse_pb(content)[1][0]


def main(path, expected_version):
    v = json.load(open(path))
    h = bytes.fromhex
    a_seed, b_seed = h(v["alice_identity_seed"]), h(v["bob_identity_seed"])
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    def ed_pub(seed):
        return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ik_a, ik_b = ed_pub(a_seed), ed_pub(b_seed)
    check("alice identity public", ik_a.hex(), v["alice_identity_public"])
    check("bob identity public", ik_b.hex(), v["bob_identity_public"])

    bundle = parse_pb(h(v["bundle"])[1:])
    spk_priv, opk_priv = h(v["bob_signed_prekey_private"]), h(v["bob_one_time_prekey_private"])
    spk, opk = x25519_pub(spk_priv), x25519_pub(opk_priv)
    check("bundle signed prekey", bundle[4][0], spk)
    check("bundle one-time prekey", bundle[7][0], opk)
    Ed25519PublicKey.from_public_bytes(ik_b).verify(
        bundle[5][0], b"candor/spk/v1" + struct.pack(">I", bundle[3][0]) + spk)
    check("signed prekey signature verifies", True, True)

    # X3DH from Bob's side (Alice's ephemeral private key is not needed).
    ek = h(v["x3dh_ephemeral_public"])
    dh1 = x25519(spk_priv, ed_to_x_public(ik_a))
    dh2 = x25519(ed_to_x_private(b_seed), ek)
    dh3 = x25519(spk_priv, ek)
    dh4 = x25519(opk_priv, ek)
    okm = hkdf(bytes(32), b"\xff" * 32 + dh1 + dh2 + dh3 + dh4, b"candor/x3dh/v1", 96)
    sk, hk_ab, nhk_ba = okm[:32], okm[32:64], okm[64:]
    check("x3dh shared key", sk.hex(), v["x3dh_shared_key"])
    check("x3dh hk_ab", hk_ab.hex(), v["x3dh_hk_ab"])
    check("x3dh nhk_ba", nhk_ba.hex(), v["x3dh_nhk_ba"])
    ad = b"candor/ad/v1" + ik_a + ik_b + lp(b"alice") + lp(b"bob")
    check("x3dh associated data", ad.hex(), v["x3dh_associated_data"])

    # Alice's first ratchet step: RK, CKs = KDF_RK(SK, DH(A_ratchet, SPK_B)).
    a_ratchet = h(v["alice_ratchet_private"])
    _, a_cks, _ = kdf_rk(sk, x25519(a_ratchet, spk))
    time = int(v["server_time"])
    version = h(v["m1_envelope"])[0]
    check("wire version is the file's", version, expected_version)
    dh, pn, n, text = open_message(h(v["m1_envelope"]), hk_ab, a_cks, ad, b"alice", b"bob", v, "m1", time,
                                   version)
    check("m1 header ratchet key", dh, x25519_pub(a_ratchet))
    check("m1 header counters", (pn, n), (0, 0))
    check("m1 text", text, b"hello bob")

    # Bob's DH ratchet on receiving: receive chain, then his new sending chain.
    rk, _, _ = kdf_rk(sk, x25519(spk_priv, dh))
    b_ratchet = h(v["bob_ratchet_private"])
    _, b_cks, _ = kdf_rk(rk, x25519(b_ratchet, dh))
    dh, pn, n, text = open_message(h(v["m2_envelope"]), nhk_ba, b_cks, ad, b"bob", b"alice", v, "m2",
                                   time + 1, version)
    check("m2 header ratchet key", dh, x25519_pub(b_ratchet))
    check("m2 header counters", (pn, n), (0, 0))
    check("m2 text", text, b"hi alice")

    print("%d passed, %d failed" % (checks["passed"], checks["failed"]))
    return 0 if checks["failed"] == 0 else 1


if __name__ == "__main__":
    # verify_session_vectors.py [FILE [VERSION]]: the version the file must
    # hold (so a v2 file regenerated as v1 fails); defaults to v2.
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/vectors/session_v2.json"
    sys.exit(main(path, int(sys.argv[2]) if len(sys.argv) > 2 else 2))
