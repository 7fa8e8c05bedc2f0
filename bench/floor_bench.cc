// The floor: exactly the primitive calls candor's design makes per message,
// made directly against libsodium with preallocated buffers, no encoding,
// no state handling, no checks beyond the AEADs'. candor's own benchmarks
// (session_bench.cc) divided by these give the overhead ratio in one run.
//
// This file is the one place outside crypto/ that includes sodium.h: a floor
// measured through candor's wrappers would not be a floor.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <cstring>
#include <vector>

#include "bench_support.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/sealed_wire.h"

namespace candor::bench {
namespace {

// Sizes the design produces for 1 KiB of text.
// A proof of the sizes a sealed message from "alice" carries.
protocol::SealedProof ProofOfTheRightSize() {
  crypto::InsecureDeterministicRandom rng(5);
  const auto key = crypto::Ed25519KeyPair::Generate(rng);
  const crypto::TokenKey token_key = crypto::GenerateTokenKey(rng);
  auto cert = Must(crypto::IssueSenderCertificate(key, "alice", key.public_key(), 1));
  auto token = Must(crypto::IssueModerationToken(token_key, key, "alice", 1, key.public_key(), 1,
                                                 rng));
  return protocol::SealedProof{std::move(cert), std::move(token), crypto::Ed25519Signature{}};
}

struct Sizes {
  size_t content = 0;  // serialized Content
  size_t padded = 0;   // padded Frame, the ratchet plaintext
  size_t ad = 0;       // X3DH associated data for "alice"/"bob"
  // `sealed`: the Frame carries a sealed-sender proof.
  explicit Sizes(bool sealed = false) {
    content = protocol::EncodeContent(Plaintext())->size();
    crypto::FrankingKey fk;
    const protocol::SealedProof proof = ProofOfTheRightSize();
    padded = protocol::EncodePaddedFrame(Bytes(content), fk, sealed ? &proof : nullptr)->size();
    ad = 12 + 32 + 32 + 2 + 5 + 2 + 3;
  }
};

struct FloorState {
  Sizes sizes;
  std::array<uint8_t, 32> ck{}, hk{}, mk{}, fk{}, commitment{}, check{};
  std::array<uint8_t, 56> randomness{};
  std::vector<uint8_t> content, addresses, ad, plain, sealed, opened;
  std::array<uint8_t, 40> header{};
  std::array<uint8_t, 80> enc_header{};
  std::array<uint8_t, 40> header_out{};
  explicit FloorState(bool sealed_sender = false) : sizes(sealed_sender) {
    if (sodium_init() < 0) std::abort();
    content.assign(sizes.content, 'x');
    addresses.assign(4 + 5 + 3, 'a');
    ad.assign(sizes.ad + 80 + 32, 0);
    plain.assign(sizes.padded, 1);
    sealed.assign(sizes.padded + 16, 0);
    opened.assign(sizes.padded, 0);
    randombytes_buf(ck.data(), ck.size());
    randombytes_buf(hk.data(), hk.size());
  }

  void Commit(const std::array<uint8_t, 32>& key, std::array<uint8_t, 32>& out) {
    crypto_generichash_state h;
    crypto_generichash_init(&h, key.data(), key.size(), 32);
    crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>("candor/frank/v1"), 15);
    crypto_generichash_update(&h, addresses.data(), addresses.size());
    crypto_generichash_update(&h, content.data(), content.size());
    crypto_generichash_final(&h, out.data(), out.size());
  }

  void KdfCk() {
    std::array<uint8_t, 32> next;
    crypto_kdf_derive_from_key(mk.data(), mk.size(), 1, "candorCK", ck.data());
    crypto_kdf_derive_from_key(next.data(), next.size(), 2, "candorCK", ck.data());
    ck = next;
  }

  // Sender: franking key and commitment, KDF_CK, header and body encryption.
  // The message's 56 random bytes (franking key, header nonce) are one draw.
  void Send() {
    randombytes_buf(randomness.data(), randomness.size());
    std::memcpy(fk.data(), randomness.data(), 32);
    std::memcpy(enc_header.data(), randomness.data() + 32, 24);
    Commit(fk, commitment);
    KdfCk();
    crypto_aead_xchacha20poly1305_ietf_encrypt(enc_header.data() + 24, nullptr, header.data(),
                                               header.size(),
                                               reinterpret_cast<const uint8_t*>("candor/hdr/v1"),
                                               13, nullptr, enc_header.data(), hk.data());
    std::memcpy(ad.data() + sizes.ad, enc_header.data(), 80);
    std::memcpy(ad.data() + sizes.ad + 80, commitment.data(), 32);
    // Body nonce: the header's random nonce (wire v2).
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), nullptr, plain.data(), plain.size(),
                                               ad.data(), ad.size(), nullptr, enc_header.data(),
                                               mk.data());
  }

  // Receiver: header and body decryption, KDF_CK, commitment check. The
  // receiver's chain key mirrors the sender's, so rewind it for the KDF.
  void Receive(std::array<uint8_t, 32>& recv_ck) {
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            header_out.data(), nullptr, nullptr, enc_header.data() + 24, 56,
            reinterpret_cast<const uint8_t*>("candor/hdr/v1"), 13, enc_header.data(),
            hk.data()) != 0) {
      std::abort();
    }
    std::array<uint8_t, 32> next, rmk;
    crypto_kdf_derive_from_key(rmk.data(), rmk.size(), 1, "candorCK", recv_ck.data());
    crypto_kdf_derive_from_key(next.data(), next.size(), 2, "candorCK", recv_ck.data());
    recv_ck = next;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(opened.data(), nullptr, nullptr,
                                                   sealed.data(), sealed.size(), ad.data(),
                                                   ad.size(), enc_header.data(), rmk.data()) != 0) {
      std::abort();
    }
    Commit(fk, check);
    if (sodium_memcmp(check.data(), commitment.data(), 32) != 0) std::abort();
  }
};

// HKDF-SHA256 with L = 96 as KDF_RK computes it: extract + three expand blocks.
void KdfRk(const uint8_t rk[32], const uint8_t dh[32], uint8_t out[96]) {
  uint8_t prk[32], t[32];
  crypto_auth_hmacsha256_state h;
  crypto_auth_hmacsha256_init(&h, rk, 32);
  crypto_auth_hmacsha256_update(&h, dh, 32);
  crypto_auth_hmacsha256_final(&h, prk);
  size_t t_len = 0;
  for (uint8_t i = 1; i <= 3; ++i) {
    crypto_auth_hmacsha256_init(&h, prk, 32);
    crypto_auth_hmacsha256_update(&h, t, t_len);
    crypto_auth_hmacsha256_update(&h, reinterpret_cast<const uint8_t*>("candor/ratchet/root/v1"), 22);
    crypto_auth_hmacsha256_update(&h, &i, 1);
    crypto_auth_hmacsha256_final(&h, t);
    t_len = 32;
    std::memcpy(out + 32 * (i - 1), t, 32);
  }
}

void BM_FloorOneWay(benchmark::State& state) {
  FloorState f;
  std::array<uint8_t, 32> recv_ck = f.ck;
  for (auto _ : state) {
    f.Send();
    f.Receive(recv_ck);
  }
}
BENCHMARK(BM_FloorOneWay)->Name("candor/floor_one_way");

// Plus the receiver's DH ratchet step: a new key pair, two X25519 and two
// KDF_RK, on every message.
void BM_FloorPingPong(benchmark::State& state) {
  FloorState f;
  std::array<uint8_t, 32> recv_ck = f.ck;
  uint8_t rk[32] = {1}, their_pub[32], my_priv[32], my_pub[32], dh[32], okm[96];
  randombytes_buf(my_priv, 32);
  crypto_scalarmult_base(their_pub, my_priv);
  for (auto _ : state) {
    f.Send();
    f.Receive(recv_ck);
    if (crypto_scalarmult(dh, my_priv, their_pub) != 0) std::abort();
    KdfRk(rk, dh, okm);
    randombytes_buf(my_priv, 32);
    crypto_scalarmult_base(my_pub, my_priv);
    if (crypto_scalarmult(dh, my_priv, their_pub) != 0) std::abort();
    KdfRk(okm, dh, okm);
    std::memcpy(rk, okm, 32);
    std::memcpy(their_pub, my_pub, 32);
  }
}
BENCHMARK(BM_FloorPingPong)->Name("candor/floor_ping_pong");

// A group message at the floor (DESIGN.md "Groups"): the sender draws the
// franking key and header nonce, commits (gfrank: sender, G, content),
// derives mk and ck', seals the header (G || n) and the body, and signs
// "candor/gsig/v1" || gad || ciphertext; the member verifies, opens the
// header, derives mk and ck', opens the body and checks the commitment.
struct GroupFloor {
  Sizes sizes;
  std::array<uint8_t, 32> ck{}, recv_ck{}, hk{}, mk{}, fk{}, commitment{}, check{};
  std::array<uint8_t, 32> group{};
  std::array<uint8_t, 56> randomness{};
  std::array<uint8_t, 36> header{};
  std::array<uint8_t, 36> header_out{};
  std::array<uint8_t, 76> enc_header{};
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> sign_pk{};
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sign_sk{};
  std::array<uint8_t, 64> sig{};
  std::vector<uint8_t> content, gad, plain, signed_part, opened;
  size_t gad_fixed = 0;  // label, G, IK, lp(sender), kid
  GroupFloor() {
    if (sodium_init() < 0) std::abort();
    content.assign(sizes.content, 'x');
    plain.assign(sizes.padded, 1);
    opened.assign(sizes.padded, 0);
    gad_fixed = 13 + 32 + 32 + 2 + 5 + 4;
    gad.assign(gad_fixed + 76 + 32, 0);
    signed_part.assign(14 + gad.size() + sizes.padded + 16, 0);
    std::memcpy(signed_part.data(), "candor/gsig/v1", 14);
    randombytes_buf(ck.data(), ck.size());
    recv_ck = ck;
    randombytes_buf(hk.data(), hk.size());
    randombytes_buf(group.data(), group.size());
    crypto_sign_keypair(sign_pk.data(), sign_sk.data());
  }
  void Commit(const std::array<uint8_t, 32>& key, std::array<uint8_t, 32>& out) {
    crypto_generichash_state h;
    crypto_generichash_init(&h, key.data(), key.size(), 32);
    crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>("candor/gfrank/v1"), 16);
    crypto_generichash_update(&h, reinterpret_cast<const uint8_t*>("\0\5alice"), 7);
    crypto_generichash_update(&h, group.data(), group.size());
    crypto_generichash_update(&h, content.data(), content.size());
    crypto_generichash_final(&h, out.data(), out.size());
  }
  static void Kdf(std::array<uint8_t, 32>& chain, std::array<uint8_t, 32>& message_key) {
    std::array<uint8_t, 32> next;
    crypto_kdf_derive_from_key(message_key.data(), message_key.size(), 1, "candorGK", chain.data());
    crypto_kdf_derive_from_key(next.data(), next.size(), 2, "candorGK", chain.data());
    chain = next;
  }
  void Send() {
    randombytes_buf(randomness.data(), randomness.size());
    std::memcpy(fk.data(), randomness.data(), 32);
    std::memcpy(enc_header.data(), randomness.data() + 32, 24);
    Commit(fk, commitment);
    Kdf(ck, mk);
    crypto_aead_xchacha20poly1305_ietf_encrypt(enc_header.data() + 24, nullptr, header.data(),
                                               header.size(),
                                               reinterpret_cast<const uint8_t*>("candor/ghdr/v1"),
                                               14, nullptr, enc_header.data(), hk.data());
    std::memcpy(gad.data() + gad_fixed, enc_header.data(), enc_header.size());
    std::memcpy(gad.data() + gad_fixed + 76, commitment.data(), 32);
    uint8_t* ct = signed_part.data() + 14 + gad.size();
    std::memcpy(signed_part.data() + 14, gad.data(), gad.size());
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, nullptr, plain.data(), plain.size(), gad.data(),
                                               gad.size(), nullptr, enc_header.data(), mk.data());
    crypto_sign_detached(sig.data(), nullptr, signed_part.data(), signed_part.size(),
                         sign_sk.data());
  }
  void Receive() {
    if (crypto_sign_verify_detached(sig.data(), signed_part.data(), signed_part.size(),
                                    sign_pk.data()) != 0 ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(
            header_out.data(), nullptr, nullptr, enc_header.data() + 24, 52,
            reinterpret_cast<const uint8_t*>("candor/ghdr/v1"), 14, enc_header.data(),
            hk.data()) != 0) {
      std::abort();
    }
    std::array<uint8_t, 32> rmk;
    Kdf(recv_ck, rmk);
    const uint8_t* ct = signed_part.data() + 14 + gad.size();
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(opened.data(), nullptr, nullptr, ct,
                                                   sizes.padded + 16, gad.data(), gad.size(),
                                                   enc_header.data(), rmk.data()) != 0) {
      std::abort();
    }
    Commit(fk, check);
    if (sodium_memcmp(check.data(), commitment.data(), 32) != 0) std::abort();
  }
};

void BM_FloorGroupOneWay(benchmark::State& state) {
  GroupFloor f;
  for (auto _ : state) {
    f.Send();
    f.Receive();
  }
}
BENCHMARK(BM_FloorGroupOneWay)->Name("candor/floor_group_one_way");

// candor/sealed_one_way's floor (sealed_bench.cc): the one-way floor with
// a Frame of the size a sealed proof makes, plus the sender's Ed25519
// signature over the commitment and crypto_box_seal of lp(sender), the
// name's padding, the type byte and the ratchet message; the recipient's
// crypto_box_seal_open and three Ed25519 verifications (certificate,
// token, the token's signature over the commitment).
void BM_FloorSealedOneWay(benchmark::State& state) {
  FloorState f(/*sealed=*/true);
  std::array<uint8_t, 32> recv_ck = f.ck;
  std::array<uint8_t, 32> one_use_pk{}, identity_pk{}, box_pk{};
  std::array<uint8_t, 64> one_use_sk{}, identity_sk{};
  std::array<uint8_t, 32> box_sk{};
  crypto_sign_keypair(one_use_pk.data(), one_use_sk.data());
  crypto_sign_keypair(identity_pk.data(), identity_sk.data());
  crypto_box_keypair(box_pk.data(), box_sk.data());
  // What each signature covers, at its length.
  std::vector<uint8_t> tsig_message(16 + 32, 0);
  std::vector<uint8_t> cert_message(21 + 2 + 5 + 32 + 8, 0);
  std::vector<uint8_t> token_message(19 + 24 + 2 + 31 + 32 + 8, 0);
  std::array<uint8_t, 64> tsig{}, cert_sig{}, token_sig{};
  crypto_sign_detached(cert_sig.data(), nullptr, cert_message.data(), cert_message.size(),
                       identity_sk.data());
  crypto_sign_detached(token_sig.data(), nullptr, token_message.data(), token_message.size(),
                       identity_sk.data());
  // lp(sender) || zeros to 128 || type || the ratchet message (header,
  // body, and their field headers).
  std::vector<uint8_t> inner(2 + 128 + 1 + 80 + f.sealed.size() + 8, 0);
  std::vector<uint8_t> box(inner.size() + crypto_box_SEALBYTES);
  std::vector<uint8_t> opened(inner.size());
  for (auto _ : state) {
    f.Send();
    std::memcpy(tsig_message.data() + 16, f.commitment.data(), 32);
    crypto_sign_detached(tsig.data(), nullptr, tsig_message.data(), tsig_message.size(),
                         one_use_sk.data());
    std::memcpy(inner.data() + 131, f.enc_header.data(), 80);
    crypto_box_seal(box.data(), inner.data(), inner.size(), box_pk.data());

    if (crypto_box_seal_open(opened.data(), box.data(), box.size(), box_pk.data(),
                             box_sk.data()) != 0) {
      std::abort();
    }
    f.Receive(recv_ck);
    if (crypto_sign_verify_detached(cert_sig.data(), cert_message.data(), cert_message.size(),
                                    identity_pk.data()) != 0 ||
        crypto_sign_verify_detached(token_sig.data(), token_message.data(), token_message.size(),
                                    identity_pk.data()) != 0 ||
        crypto_sign_verify_detached(tsig.data(), tsig_message.data(), tsig_message.size(),
                                    one_use_pk.data()) != 0) {
      std::abort();
    }
  }
}
BENCHMARK(BM_FloorSealedOneWay)->Name("candor/floor_sealed_one_way");

// The token service's floor (sealed_bench.cc): per token, 24 random bytes,
// XChaCha20-Poly1305 over lp("alice") || be64(issued_at), and an Ed25519
// signature over the label, the nonce, lp(x), the one-use key and the expiry.
void BM_FloorTokenIssue1000(benchmark::State& state) {
  if (sodium_init() < 0) std::abort();
  constexpr int kTokens = 1000;
  std::array<uint8_t, 32> token_key{};
  randombytes_buf(token_key.data(), token_key.size());
  std::array<uint8_t, 32> pk{};
  std::array<uint8_t, 64> sk{};
  crypto_sign_keypair(pk.data(), sk.data());
  std::vector<std::array<uint8_t, 32>> keys(kTokens);
  for (auto& k : keys) randombytes_buf(k.data(), k.size());
  static constexpr char kLabel[] = "candor/token-sig/v1";
  constexpr size_t kLabelBytes = sizeof(kLabel) - 1;
  const std::array<uint8_t, 15> owner{0, 5, 'a', 'l', 'i', 'c', 'e', 0, 0, 0, 0, 0x68, 0x4e, 0x1e, 0x80};
  std::array<uint8_t, 24> nonce{};
  std::array<uint8_t, owner.size() + 16> sealed{};
  std::vector<uint8_t> message(kLabelBytes + nonce.size() + 2 + sealed.size() + 32 + 8);
  std::array<uint8_t, 64> signature{};
  for (auto _ : state) {
    for (const auto& key : keys) {
      randombytes_buf(nonce.data(), nonce.size());
      unsigned long long sealed_len = 0;
      crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, owner.data(),
                                                 owner.size(),
                                                 reinterpret_cast<const uint8_t*>("candor/token/v1"),
                                                 15, nullptr, nonce.data(), token_key.data());
      uint8_t* p = message.data();
      std::memcpy(p, kLabel, kLabelBytes);
      p += kLabelBytes;
      std::memcpy(p, nonce.data(), nonce.size());
      p += nonce.size();
      *p++ = 0;
      *p++ = static_cast<uint8_t>(sealed.size());
      std::memcpy(p, sealed.data(), sealed.size());
      p += sealed.size();
      std::memcpy(p, key.data(), key.size());
      p += key.size();
      std::memset(p, 0x11, 8);  // be64(expires_at)
      crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), sk.data());
      benchmark::DoNotOptimize(signature);
    }
  }
  state.SetItemsProcessed(state.iterations() * kTokens);
}
BENCHMARK(BM_FloorTokenIssue1000)->Name("candor/floor_token_issue_1000")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace candor::bench
