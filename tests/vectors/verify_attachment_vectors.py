#!/usr/bin/env python3
"""Independent check of tests/vectors/attachment_v1.json against DESIGN.md "Attachments".

libsodium 1.0.18 draws the secretstream header's randomness itself, so the
blobs cannot be made again: this checks them on the decrypt side. Nothing
here uses libsodium or candor: BLAKE2b from hashlib, HChaCha20 and the raw
ChaCha20-IETF keystream from OpenSSL through the `cryptography` package (as
in verify_session_vectors.py, whose helpers it imports), Poly1305 in plain
Python below, protobuf read and written by hand.

crypto_secretstream_xchacha20poly1305, pull side, as libsodium 1.0.18 does it:
  state: k = HChaCha20(key, header[0:16]); nonce = le32(counter = 1) ||
         inonce (header[16:24]).
  chunk (1 tag byte || c || 16-byte MAC), mlen = len(chunk) - 17:
    poly key = ChaCha20-IETF(k, nonce) block 0, first 32 bytes;
    tag = chunk[0] XOR keystream block 1 byte 0 — the tag is encrypted as a
      64-byte block (tag || 63 zeros) at counter 1 and only its first byte
      is sent; the MAC covers the whole encrypted block, i.e. chunk[0] ||
      keystream block 1 bytes 1..63;
    MAC = Poly1305(ad || pad16(ad) || that block || c || pad || le64(adlen)
      || le64(64 + mlen)), where libsodium's pad after c is
      (0x10 - 64 + mlen) & 0xf zero bytes (= mlen mod 16; not the pad that
      would round 64 + mlen up to 16 — the two agree when mlen mod 16 is 0
      or 8, as for every chunk here);
    plaintext = c XOR the keystream from block 2;
    then inonce ^= MAC[0:8], counter += 1, and a rekey when the tag has
      the REKEY bit or the counter wrapped to 0: k || inonce ^=
      ChaCha20-IETF(k, nonce) block 0, counter = 1.
A blob is the 24-byte header then chunks of 65,536 bytes of the padded
plaintext (plaintext || zeros up to Padmé(length), no minimum), no
additional data, TAG_MESSAGE (0) on all but the last chunk, TAG_FINAL (3)
on it; blob_id = BLAKE2b-256(blob), digest = BLAKE2b-256(plaintext). The
Content (text = 1, attachments = 2) carries the pointer (blob_id = 1,
key = 2, length = 3, digest = 4, media_type = 5, file_name = 6,
thumbnail = 7; empty fields omitted, in field order).

For each vector (a1: one chunk, a2: two), it checks the blob id, every
chunk's MAC and tag, the padding, the padded length, the digest, and the
Content's exact bytes and pointer fields; and that a changed byte does not
pass its secretstream pull. Exit status 0 and a last line
"N passed, 0 failed" when all agree.
"""
import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verify_session_vectors import check, hchacha20, parse_pb, run_and_report  # noqa: E402

HEADER_BYTES = 24
ABYTES = 17  # tag byte + MAC
CHUNK_BYTES = 65536
TAG_MESSAGE, TAG_PUSH, TAG_REKEY = 0x00, 0x01, 0x02
TAG_FINAL = TAG_PUSH | TAG_REKEY


def b2(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def chacha20_ietf(key, nonce12, counter, data):
    # cryptography's ChaCha20 takes le32(initial block counter) || 12-byte nonce.
    cipher = Cipher(algorithms.ChaCha20(key, struct.pack("<I", counter) + nonce12), mode=None)
    return cipher.encryptor().update(data)


def poly1305(key, message):
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:32], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(message), 16):
        acc = (acc + int.from_bytes(message[i:i + 16] + b"\x01", "little")) * r % p
    return ((acc + s) % (1 << 128)).to_bytes(16, "little")


def padme(length):
    # crypto/padme.h: E = floor(log2 L), S = floor(log2 E) + 1, round L up
    # to a multiple of 2^(E - S). No minimum for attachments.
    if length < 2:
        return length
    e = length.bit_length() - 1
    s = e.bit_length()
    mask = (1 << (e - s)) - 1
    return (length + mask) & ~mask


class SecretStreamPull:
    def __init__(self, key, header):
        assert len(key) == 32 and len(header) == HEADER_BYTES
        self.k = hchacha20(key, header[:16])
        self.counter = 1
        self.inonce = header[16:24]

    def nonce(self):
        return struct.pack("<I", self.counter) + self.inonce

    def rekey(self):
        fresh = chacha20_ietf(self.k, self.nonce(), 0, self.k + self.inonce)
        self.k, self.inonce, self.counter = fresh[:32], fresh[32:], 1

    def pull(self, chunk, ad=b""):
        # Returns (plaintext, tag); raises ValueError if the chunk does not
        # authenticate (the state is then unusable, as libsodium's).
        if len(chunk) < ABYTES:
            raise ValueError("a chunk shorter than its overhead")
        mlen = len(chunk) - ABYTES
        nonce = self.nonce()
        poly_key = chacha20_ietf(self.k, nonce, 0, bytes(64))[:32]
        block1 = chacha20_ietf(self.k, nonce, 1, bytes(64))
        tag = chunk[0] ^ block1[0]
        encrypted_tag_block = chunk[:1] + block1[1:]
        c, stored_mac = chunk[1:1 + mlen], chunk[1 + mlen:]
        mac = poly1305(poly_key,
                       ad + bytes((0x10 - len(ad)) & 0xF) + encrypted_tag_block + c +
                       bytes((0x10 - 64 + mlen) & 0xF) + struct.pack("<QQ", len(ad), 64 + mlen))
        if not hmac.compare_digest(mac, stored_mac):
            raise ValueError("a chunk does not authenticate")
        message = chacha20_ietf(self.k, nonce, 2, c)
        self.inonce = bytes(a ^ b for a, b in zip(self.inonce, mac[:8]))
        self.counter = (self.counter + 1) & 0xFFFFFFFF
        if tag & TAG_REKEY or self.counter == 0:
            self.rekey()
        return message, tag


def open_blob(blob, key, padded_length):
    # The chunks a blob of this padded length has; their plaintexts and tags.
    chunks = 1 if padded_length == 0 else (padded_length + CHUNK_BYTES - 1) // CHUNK_BYTES
    stream = SecretStreamPull(key, blob[:HEADER_BYTES])
    at, opened = HEADER_BYTES, []
    for i in range(chunks):
        size = min(CHUNK_BYTES, padded_length - i * CHUNK_BYTES) + ABYTES
        opened.append(stream.pull(blob[at:at + size]))
        at += size
    return opened, at


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([n & 0x7F | 0x80])
        n >>= 7
    return out + bytes([n])


def field(number, value):
    # A protobuf field, omitted when empty: bytes as length-delimited, ints as varints.
    if isinstance(value, int):
        return varint(number << 3) + varint(value) if value else b""
    return varint(number << 3 | 2) + varint(len(value)) + value if value else b""


def check_vector(v, name):
    h = bytes.fromhex
    p = name + "_"
    key, length, blob = h(v[p + "key"]), int(v[p + "length"]), h(v[p + "blob"])
    if p + "plaintext" in v:
        plaintext = h(v[p + "plaintext"])
    else:  # kept out of the file for its size: a pattern repeated up to length
        pattern = h(v[p + "plaintext_pattern"])
        plaintext = (pattern * (length // len(pattern) + 1))[:length]
    padded_length = int(v[p + "padded_length"])
    check(name + " key is 32 bytes", len(key), 32)
    check(name + " plaintext length", len(plaintext), length)
    check(name + " padded length = Padme(length)", padme(length), padded_length)
    chunks = 1 if padded_length == 0 else (padded_length + CHUNK_BYTES - 1) // CHUNK_BYTES
    check(name + " chunk count", chunks, 1 if name == "a1" else 2)
    check(name + " blob size = header + padded + 17 per chunk",
          (len(blob), int(v[p + "blob_size"])), (HEADER_BYTES + padded_length + ABYTES * chunks,) * 2)
    check(name + " blob_id = BLAKE2b-256(blob)", b2(blob).hex(), v[p + "blob_id"])

    try:
        opened, end = open_blob(blob, key, padded_length)
    except ValueError as e:
        check(name + " every chunk authenticates (%s)" % e, False, True)
        return
    for i, (_, tag) in enumerate(opened):
        last = i + 1 == len(opened)
        check("%s chunk %d authenticates, tag %s" % (name, i, "FINAL" if last else "MESSAGE"),
              tag, TAG_FINAL if last else TAG_MESSAGE)
    check(name + " nothing after the final chunk", end, len(blob))
    padded = b"".join(m for m, _ in opened)
    check(name + " padded plaintext length", len(padded), padded_length)
    check(name + " plaintext", padded[:length], plaintext)
    check(name + " padding is zeros", padded[length:], bytes(padded_length - length))
    check(name + " digest = BLAKE2b-256(plaintext)", b2(padded[:length]).hex(), v[p + "digest"])

    # A changed byte in the last chunk's ciphertext: its MAC no longer matches.
    changed = bytearray(blob)
    changed[len(blob) - ABYTES - 1] ^= 0x01
    try:
        open_blob(bytes(changed), key, padded_length)
        refused = False
    except ValueError:
        refused = True
    check(name + " a changed byte does not authenticate", refused, True)

    # Content { text = 1; attachments = 2 { blob_id, key, length, digest,
    # media_type, file_name; thumbnail empty, so omitted } }
    content = h(v[p + "content"])
    fields = parse_pb(content)
    check(name + " content: text and one attachment", (sorted(fields), len(fields.get(2, []))), ([1, 2], 1))
    check(name + " content text", fields[1][0], v["content_text"].encode())
    pointer = parse_pb(fields[2][0])
    check(name + " pointer fields, no thumbnail", sorted(pointer), [1, 2, 3, 4, 5, 6])
    check(name + " pointer blob_id", pointer[1][0].hex(), v[p + "blob_id"])
    check(name + " pointer key", pointer[2][0], key)
    check(name + " pointer length", pointer[3][0], length)
    check(name + " pointer digest", pointer[4][0].hex(), v[p + "digest"])
    check(name + " pointer media_type", pointer[5][0], v[p + "media_type"].encode())
    check(name + " pointer file_name", pointer[6][0], v[p + "file_name"].encode())
    body = (field(1, b2(blob)) + field(2, key) + field(3, length) + field(4, b2(plaintext)) +
            field(5, v[p + "media_type"].encode()) + field(6, v[p + "file_name"].encode()) + field(7, b""))
    check(name + " content is the canonical encoding", content.hex(),
          (field(1, v["content_text"].encode()) + field(2, body)).hex())


def run(v):
    check("vectors a1 and a2, nothing else",
          sorted({k.split("_", 1)[0] for k in v if k != "content_text"}), ["a1", "a2"])
    check("padme: 100 -> 104, 65636 -> 67584, 1000 -> 1024, 1 -> 1",
          [padme(n) for n in (100, 65636, 1000, 1)], [104, 67584, 1024, 1])
    for name in ("a1", "a2"):
        check_vector(v, name)


if __name__ == "__main__":
    # verify_attachment_vectors.py [FILE]
    sys.exit(run_and_report(run, sys.argv[1] if len(sys.argv) > 1 else "tests/vectors/attachment_v1.json"))
