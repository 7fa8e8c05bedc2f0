#!/usr/bin/env python3
"""Independent check of tests/vectors/sealed_v1.json against DESIGN.md
"Sealed sender with verifiable reports".

Nothing here uses libsodium or candor. Ed25519, X25519 and Poly1305 come from
OpenSSL through the `cryptography` package; XChaCha20-Poly1305 is built from
HChaCha20 (verify_session_vectors.py); XSalsa20 and HSalsa20, which
`cryptography` lacks, are written out below from the Salsa20 specification;
BLAKE2b comes from hashlib; protobuf is read by hand. It checks:

- the certificate: sig_S over "candor/sender-cert/v1" || lp(account) || IK ||
  be64(expires_at), and the encoded SenderCertificate's fields;
- the token: x opens under k_M to lp(account) || be64(issued_at), sig_M over
  "candor/token-sig/v1" || nonce || lp(x) || epk || be64(expires_at), epk is
  the one-use seed's key, the request and response carry exactly these;
- tsig over "candor/sealed/v1" || c, and the SealedProof's fields;
- the box: its plaintext lp(sender) || zeros up to 128 bytes of name ||
  content type || message (candor pads the name: docs/sealed-sender.md);
  rebuilt byte for byte from its seed as crypto_box_seal builds it
  (crypto_box_seed_keypair, nonce BLAKE2b-192(epk || pk), crypto_box), and
  opened with the recipient's X25519 identity;
- the envelope: version 2, no sender, the recipient, c, content type 4, the
  box in field 6 and nothing else;
- the sealed relay tags (bob's copy, and the empty recipient), and that
  the certificate and the token are unexpired at the relay's time.

The franking commitment c is taken from the file: it opens only with the
franking key inside the ratchet message, which verify_session_vectors.py
covers for its own conversation.

Exit status 0 and a last line "N passed, 0 failed" when all agree.
"""
import hashlib
import os
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.poly1305 import Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verify_session_vectors import (check, ed_to_x_private, ed_to_x_public,  # noqa: E402
                                    ed_verifies, lp, parse_pb, run_and_report, x25519,
                                    x25519_pub, xchacha_open)

MASK = 0xFFFFFFFF
SIGMA = b"expand 32-byte k"


def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & MASK


def salsa_rounds(state):
    x = list(state)
    for _ in range(10):  # 20 rounds: column round then row round
        for a, b, c, d in ((0, 4, 8, 12), (5, 9, 13, 1), (10, 14, 2, 6), (15, 3, 7, 11),
                           (0, 1, 2, 3), (5, 6, 7, 4), (10, 11, 8, 9), (15, 12, 13, 14)):
            x[b] ^= rotl((x[a] + x[d]) & MASK, 7)
            x[c] ^= rotl((x[b] + x[a]) & MASK, 9)
            x[d] ^= rotl((x[c] + x[b]) & MASK, 13)
            x[a] ^= rotl((x[d] + x[c]) & MASK, 18)
    return x


def salsa_state(key, input16):
    k = struct.unpack("<8I", key)
    s = struct.unpack("<4I", SIGMA)
    i = struct.unpack("<4I", input16)
    return [s[0], k[0], k[1], k[2], k[3], s[1], i[0], i[1], i[2], i[3], s[2],
            k[4], k[5], k[6], k[7], s[3]]


def hsalsa20(key, nonce16):
    x = salsa_rounds(salsa_state(key, nonce16))
    return struct.pack("<8I", *(x[i] for i in (0, 5, 10, 15, 6, 7, 8, 9)))


def salsa20_stream(key, nonce8, length):
    out = b""
    counter = 0
    while len(out) < length:
        state = salsa_state(key, nonce8 + struct.pack("<Q", counter))
        x = salsa_rounds(state)
        out += struct.pack("<16I", *((x[i] + state[i]) & MASK for i in range(16)))
        counter += 1
    return out[:length]


def crypto_box(message, nonce24, their_public, my_secret):
    # crypto_box_beforenm: HSalsa20 of the X25519 secret under a zero input;
    # then crypto_secretbox (XSalsa20-Poly1305): the first 32 bytes of the
    # stream key Poly1305, the rest encrypt; output tag || ciphertext.
    k = hsalsa20(x25519(my_secret, their_public), bytes(16))
    stream = salsa20_stream(hsalsa20(k, nonce24[:16]), nonce24[16:], 32 + len(message))
    ciphertext = bytes(a ^ b for a, b in zip(message, stream[32:]))
    return Poly1305.generate_tag(stream[:32], ciphertext) + ciphertext


def crypto_box_open(box, nonce24, their_public, my_secret):
    k = hsalsa20(x25519(my_secret, their_public), bytes(16))
    tag, ciphertext = box[:16], box[16:]
    stream = salsa20_stream(hsalsa20(k, nonce24[:16]), nonce24[16:], 32 + len(ciphertext))
    Poly1305.verify_tag(stream[:32], ciphertext, tag)
    return bytes(a ^ b for a, b in zip(ciphertext, stream[32:]))


def ed_public(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)


def only(fields, num):
    assert len(fields.get(num, [])) == 1, "field %d once" % num
    return fields[num][0]


def run(v):
    h = bytes.fromhex
    be64 = lambda n: struct.pack(">Q", n)  # noqa: E731
    account = v["sender"].encode()
    ik = h(v["sender_identity_public"])
    directory_public = ed_public(h(v["directory_seed"]))
    moderator_public = ed_public(h(v["moderator_seed"]))
    check("directory key from its seed", directory_public.hex(), v["directory_public"])
    check("moderation key from its seed", moderator_public.hex(), v["moderator_public"])

    # The certificate.
    expiry = int(v["certificate_expires_at"])
    signed = b"candor/sender-cert/v1" + lp(account) + ik + be64(expiry)
    check("certificate signature verifies under the directory key",
          ed_verifies(directory_public, h(v["certificate_signature"]), signed), True)
    cert_bytes = h(v["certificate"])
    check("certificate version byte", cert_bytes[0], 2)
    cert = parse_pb(cert_bytes[1:])
    check("certificate fields", (only(cert, 1), only(cert, 2), only(cert, 3), only(cert, 4)),
          (account, ik, expiry, h(v["certificate_signature"])))
    check("certificate has no other field", sorted(cert), [1, 2, 3, 4])

    # The token.
    epk = ed_public(h(v["one_use_seed"]))
    request = h(v["token_request"])
    check("token request: version 2, exactly the one-use public key",
          (request[0], parse_pb(request[1:])), (2, {1: [epk]}))
    nonce, x = h(v["token_nonce"]), h(v["token_sealed_account"])
    issued, token_expiry = int(v["token_issued_at"]), int(v["token_expires_at"])
    owner = xchacha_open(h(v["token_key"]), nonce, x, b"candor/token/v1")
    check("x opens under k_M to lp(account) || be64(issued_at)", owner, lp(account) + be64(issued))
    token_signed = b"candor/token-sig/v1" + nonce + lp(x) + epk + be64(token_expiry)
    check("token signature verifies under the moderation key",
          ed_verifies(moderator_public, h(v["token_signature"]), token_signed), True)
    response = h(v["token_response"])
    check("token response version byte", response[0], 2)
    tokens = parse_pb(response[1:])
    check("token response holds one token", len(tokens.get(1, [])), 1)
    token = parse_pb(tokens[1][0])
    token_fields = (only(token, 1), only(token, 2), only(token, 3), only(token, 4), only(token, 5))
    check("token fields", token_fields, (nonce, x, epk, token_expiry, h(v["token_signature"])))

    # The token's signature over this message's commitment, and the proof.
    c = h(v["franking_commitment"])
    tsig = h(v["commitment_signature"])
    check("tsig verifies under epk over \"candor/sealed/v1\" || c",
          ed_verifies(epk, tsig, b"candor/sealed/v1" + c), True)
    check("tsig is bound to c", ed_verifies(epk, tsig, b"candor/sealed/v1" + bytes(32)), False)
    proof = parse_pb(h(v["sealed_proof"]))
    check("proof: the certificate, the token, tsig",
          (only(proof, 1), only(proof, 2), only(proof, 3)),
          (cert_bytes[1:], tokens[1][0], tsig))

    # The box: rebuilt from its seed, then opened by the recipient.
    bob_seed = h(v["recipient_identity_seed"])
    bob_x_public = ed_to_x_public(ed_public(bob_seed))
    esk = hashlib.sha512(h(v["box_seed"])).digest()[:32]  # crypto_box_seed_keypair
    epk_box = x25519_pub(esk)
    box_nonce = hashlib.blake2b(epk_box + bob_x_public, digest_size=24).digest()
    plaintext = h(v["box_plaintext"])
    rebuilt = epk_box + crypto_box(plaintext, box_nonce, bob_x_public, esk)
    check("box rebuilt from its seed, byte for byte", rebuilt.hex(), v["box"])
    box = h(v["box"])
    opened = crypto_box_open(box[32:], box_nonce, box[:32], ed_to_x_private(bob_seed))
    check("box opens with the recipient's X25519 identity", opened, plaintext)
    n = struct.unpack(">H", opened[:2])[0]
    check("box plaintext names the sender", opened[2:2 + n], account)
    check("then zeros up to 128 bytes of name", opened[2 + n:130], bytes(128 - n))
    check("then content type 1 (a first message)", opened[130], 1)
    inner = parse_pb(opened[131:])
    check("the prekey message carries the sender's identity key", only(inner, 1), ik)

    # The envelope.
    envelope = h(v["envelope"])
    check("envelope version byte", envelope[0], 2)
    env = parse_pb(envelope[1:])
    check("envelope: recipient, c, content type 4, the box in field 6",
          (only(env, 2), only(env, 3), only(env, 4), only(env, 6)),
          (v["recipient"].encode(), c, 4, box))
    check("envelope has no sender and no payload", sorted(env), [2, 3, 4, 6])
    check("no byte of the envelope names the sender", account in envelope or ik in envelope, False)

    # The relay's sealed tags.
    ts = int(v["server_time"])
    key = h(v["relay_key"])

    def tag(recipient):
        return hashlib.blake2b(b"candor/relay-sealed/v1" + c + lp(recipient) + be64(ts),
                               digest_size=32, key=key).hexdigest()
    check("sealed relay tag for the recipient", tag(v["recipient"].encode()), v["relay_tag"])
    check("sealed relay tag over the empty recipient", tag(b""), v["relay_tag_empty_recipient"])
    # The recipient's time rules, at the relay's time.
    check("the certificate is unexpired at ts", ts <= expiry, True)
    check("the token is unexpired at ts", ts <= token_expiry, True)


if __name__ == "__main__":
    sys.exit(run_and_report(run, sys.argv[1]))
