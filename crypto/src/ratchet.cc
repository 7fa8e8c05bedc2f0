#include "candor/crypto/ratchet.h"

#include <cstdlib>
#include <limits>

#include "candor/crypto/aead.h"
#include "candor/crypto/hkdf.h"
#include "candor/crypto/kdf.h"
#include "candor/crypto/limits.h"
#include "aead_raw.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kRootInfo = "candor/ratchet/root/v1";
constexpr std::string_view kHeaderAd = "candor/hdr/v1";

struct RootStep {
  SecretArray<32> root_key, chain_key, next_header_key;
};

Result<RootStep> KdfRk(const SecretArray<32>& rk, const X25519KeyPair& ours,
                       const X25519PublicKey& theirs) {
  CANDOR_ASSIGN_OR_RETURN(auto dh, ours.Dh(theirs));
  CANDOR_ASSIGN_OR_RETURN(SecretBytes okm,
                          HkdfSha256Expand(HkdfSha256Extract(rk.Expose(), dh.Expose()),
                                           AsBytes(kRootInfo), 96));
  auto part = [&](size_t i) {
    return std::move(SecretArray<32>::CopyFrom(okm.Expose().subspan(32 * i, 32))).value();
  };
  return RootStep{part(0), part(1), part(2)};
}

// Advances `ck` in place and returns the message key.
SecretArray<32> KdfCk(SecretArray<32>& ck) {
  SecretArray<32> mk = KdfDerive<32>(ck, 1, "candorCK");
  ck = KdfDerive<32>(ck, 2, "candorCK");
  return mk;
}

// AD || encrypted_header || commitment, in a fixed buffer (no allocation on
// the per-message path). X3DH's AD is at most 12 + 64 + 2 * (2 + 128) bytes.
class BodyAd {
 public:
  BodyAd(const RatchetState& s, ByteView encrypted_header, ByteView commitment) {
    for (ByteView part : {ByteView(s.associated_data), encrypted_header, commitment}) {
      if (part.size() > bytes_.size() - size_) std::abort();  // bounded by construction
      std::copy(part.begin(), part.end(), bytes_.begin() + static_cast<ptrdiff_t>(size_));
      size_ += part.size();
    }
  }
  operator ByteView() const { return ByteView(bytes_.data(), size_); }

 private:
  std::array<uint8_t, 12 + 64 + 2 * (2 + kMaxAccountBytes) + kEncryptedHeaderBytes + 64> bytes_;
  size_t size_ = 0;
};

// The body's nonce is the header's random nonce (wire v2; v1 used zeros):
// if a rolled-back state derives a message key a second time, the two
// bodies still differ in nonce, so no keystream is ever reused. The header
// authenticates its nonce and the body's ad holds the header, so neither
// can be swapped without failing a tag.
AeadNonce BodyNonce(ByteView encrypted_header) {
  return encrypted_header.first<kAeadNonceBytes>();
}

// Header encryption works on fixed arrays (no allocation per message); the
// nonce is random, drawn here, never chosen by a caller.
Result<RatchetHeader> OpenHeader(const SecretArray<32>& hk, ByteView encrypted_header) {
  SecretArray<kRatchetHeaderBytes> plain;
  CANDOR_RETURN_IF_ERROR(internal::XChaChaOpenRawInto(
      hk.Expose(), encrypted_header.first(kAeadNonceBytes),
      encrypted_header.subspan(kAeadNonceBytes), AsBytes(kHeaderAd), plain.Expose()));
  return RatchetHeader::Decode(plain.Expose());
}

void SealHeader(const SecretArray<32>& hk, const RatchetHeader& header, RandomSource& rng,
                EncryptedHeader& out) {
  static_assert(kEncryptedHeaderBytes == kAeadNonceBytes + kRatchetHeaderBytes + kAeadTagBytes);
  const std::span<uint8_t> nonce = std::span(out).first(kAeadNonceBytes);
  rng.Fill(nonce);
  const auto plain = header.Encode();
  // Sizes are fixed by the types, so this cannot fail.
  (void)internal::XChaChaSealRaw(hk.Expose(), nonce, plain, AsBytes(kHeaderAd),
                                 std::span(out).subspan(kAeadNonceBytes));
}

// SkipMessageKeysHE: stores the keys of messages recv_n..until-1 of the
// current receiving chain.
Result<void> SkipMessageKeys(RatchetState& s, uint32_t until, uint64_t now) {
  if (until > s.recv_n && until - s.recv_n > kMaxSkip) {
    return Error(Errc::kTooManySkipped, "message skips more than kMaxSkip keys");
  }
  if (!s.recv_chain.has_value()) return Ok();
  while (s.recv_n < until) {
    s.skipped.Add(*s.recv_header_key, s.recv_n, KdfCk(*s.recv_chain), now);
    ++s.recv_n;
  }
  return Ok();
}

Result<void> DhRatchet(RatchetState& s, const RatchetHeader& header, RandomSource& rng) {
  s.prev_send_n = s.send_n;
  s.send_n = 0;
  s.recv_n = 0;
  s.send_header_key = std::move(s.next_send_header_key);
  s.recv_header_key = std::move(s.next_recv_header_key);
  s.dh_remote = header.dh;
  CANDOR_ASSIGN_OR_RETURN(RootStep recv, KdfRk(s.root_key, s.dh_self, header.dh));
  s.root_key = std::move(recv.root_key);
  s.recv_chain = std::move(recv.chain_key);
  s.next_recv_header_key = std::move(recv.next_header_key);
  s.dh_self = X25519KeyPair::Generate(rng);
  CANDOR_ASSIGN_OR_RETURN(RootStep send, KdfRk(s.root_key, s.dh_self, header.dh));
  s.root_key = std::move(send.root_key);
  s.send_chain = std::move(send.chain_key);
  s.next_send_header_key = std::move(send.next_header_key);
  return Ok();
}

// TrySkippedMessageKeysHE: one header trial per stored chain.
std::optional<Result<SecretBytes>> TrySkipped(RatchetState& s, ByteView encrypted_header,
                                              ByteView body, ByteView commitment) {
  for (size_t i = 0; i < s.skipped.chains().size(); ++i) {
    auto header = OpenHeader(s.skipped.chains()[i].header_key, encrypted_header);
    if (!header.has_value()) continue;
    auto mk = s.skipped.Take(i, header->n);
    if (!mk.has_value()) continue;  // not skipped here: maybe a duplicate
    auto plain = OpenWithSingleUseKey(std::move(*mk), BodyNonce(encrypted_header), body,
                                      BodyAd(s, encrypted_header, commitment));
    return plain;
  }
  return std::nullopt;
}

}  // namespace

std::array<uint8_t, kRatchetHeaderBytes> RatchetHeader::Encode() const {
  std::array<uint8_t, kRatchetHeaderBytes> out;
  ByteWriter w(kRatchetHeaderBytes);
  w.PutBytes(dh.bytes());
  w.PutBe32(pn);
  w.PutBe32(n);
  std::copy(w.bytes().begin(), w.bytes().end(), out.begin());
  return out;
}

Result<RatchetHeader> RatchetHeader::Decode(ByteView bytes) {
  ByteReader r(bytes);
  CANDOR_ASSIGN_OR_RETURN(auto dh_bytes, r.ReadArray<kX25519KeyBytes>());
  CANDOR_ASSIGN_OR_RETURN(uint32_t pn, r.ReadBe32());
  CANDOR_ASSIGN_OR_RETURN(uint32_t n, r.ReadBe32());
  CANDOR_RETURN_IF_ERROR(r.Finish());
  CANDOR_ASSIGN_OR_RETURN(auto dh, X25519PublicKey::FromBytes(dh_bytes));
  return RatchetHeader{dh, pn, n};
}

RatchetState RatchetState::Clone() const {
  auto clone_opt = [](const std::optional<SecretArray<32>>& v) {
    return v ? std::optional<SecretArray<32>>(v->Clone()) : std::nullopt;
  };
  return RatchetState{associated_data,
                      dh_self.Clone(),
                      dh_remote,
                      root_key.Clone(),
                      clone_opt(send_chain),
                      clone_opt(recv_chain),
                      clone_opt(send_header_key),
                      clone_opt(recv_header_key),
                      next_send_header_key.Clone(),
                      next_recv_header_key.Clone(),
                      send_n,
                      recv_n,
                      prev_send_n,
                      skipped.Clone()};
}

Result<RatchetState> RatchetInitInitiator(X3dhSecrets secrets,
                                          const X25519PublicKey& remote_signed_prekey,
                                          RandomSource& rng) {
  X25519KeyPair dh_self = X25519KeyPair::Generate(rng);
  CANDOR_ASSIGN_OR_RETURN(RootStep step,
                          KdfRk(secrets.shared_key, dh_self, remote_signed_prekey));
  return RatchetState{std::move(secrets.associated_data),
                      std::move(dh_self),
                      remote_signed_prekey,
                      std::move(step.root_key),
                      std::move(step.chain_key),
                      std::nullopt,
                      std::move(secrets.hk_ab),
                      std::nullopt,
                      std::move(step.next_header_key),
                      std::move(secrets.nhk_ba),
                      0,
                      0,
                      0,
                      {}};
}

RatchetState RatchetInitResponder(X3dhSecrets secrets, X25519KeyPair signed_prekey) {
  return RatchetState{std::move(secrets.associated_data),
                      std::move(signed_prekey),
                      std::nullopt,
                      std::move(secrets.shared_key),
                      std::nullopt,
                      std::nullopt,
                      std::nullopt,
                      std::nullopt,
                      std::move(secrets.nhk_ba),
                      std::move(secrets.hk_ab),
                      0,
                      0,
                      0,
                      {}};
}

Result<RatchetCiphertext> RatchetEncrypt(RatchetState& s, ByteView plaintext,
                                         ByteView commitment, RandomSource& rng) {
  if (!s.send_chain.has_value() || !s.send_header_key.has_value()) {
    return Error(Errc::kInvalidState, "no sending chain yet: the responder must receive first");
  }
  if (s.send_n == std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kInvalidState, "sending chain exhausted");
  }
  SecretArray<32> mk = KdfCk(*s.send_chain);
  RatchetCiphertext out;
  SealHeader(*s.send_header_key, RatchetHeader{s.dh_self.public_key(), s.prev_send_n, s.send_n},
             rng, out.header);
  ++s.send_n;
  out.body = SealWithSingleUseKey(std::move(mk), BodyNonce(out.header), plaintext,
                                  BodyAd(s, out.header, commitment));
  return out;
}

Result<RatchetDecryption> RatchetDecrypt(const RatchetState& state, ByteView encrypted_header,
                                         ByteView body, ByteView commitment, uint64_t now,
                                         RandomSource& rng) {
  if (encrypted_header.size() != kEncryptedHeaderBytes) {
    return Error(Errc::kHeaderDecryptFailed, "encrypted header must be 80 bytes");
  }
  RatchetState s = state.Clone();
  s.skipped.Expire(now);

  if (auto skipped = TrySkipped(s, encrypted_header, body, commitment)) {
    if (!skipped->has_value()) return skipped->error();
    return Result<RatchetDecryption>(std::in_place, std::move(*skipped).value(), std::move(s));
  }

  bool dh_step = false;
  std::optional<RatchetHeader> header;
  if (s.recv_header_key.has_value()) {
    auto h = OpenHeader(*s.recv_header_key, encrypted_header);
    if (h.has_value()) {
      header = *h;
    } else if (h.error().code() != Errc::kDecryptFailed) {
      return Error(Errc::kInvalidEncoding, "authentic header has the wrong layout");
    }
  }
  if (!header) {
    auto h = OpenHeader(s.next_recv_header_key, encrypted_header);
    if (!h.has_value()) {
      if (h.error().code() != Errc::kDecryptFailed) {
        return Error(Errc::kInvalidEncoding, "authentic header has the wrong layout");
      }
      return Error(Errc::kHeaderDecryptFailed, "header opens under no known header key");
    }
    header = *h;
    dh_step = true;
  }

  if (dh_step) {
    CANDOR_RETURN_IF_ERROR(SkipMessageKeys(s, header->pn, now));
    CANDOR_RETURN_IF_ERROR(DhRatchet(s, *header, rng));
  } else {
    if (s.dh_remote != header->dh) {
      return Error(Errc::kInvalidEncoding, "header's ratchet key does not match its chain");
    }
    if (header->n < s.recv_n) {
      return Error(Errc::kDuplicateMessage, "message key already used or expired");
    }
  }
  CANDOR_RETURN_IF_ERROR(SkipMessageKeys(s, header->n, now));
  if (s.recv_n == std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kInvalidState, "receiving chain exhausted");
  }
  SecretArray<32> mk = KdfCk(*s.recv_chain);
  ++s.recv_n;
  CANDOR_ASSIGN_OR_RETURN(SecretBytes plaintext,
                          OpenWithSingleUseKey(std::move(mk), BodyNonce(encrypted_header), body,
                                               BodyAd(s, encrypted_header, commitment)));
  return Result<RatchetDecryption>(std::in_place, std::move(plaintext), std::move(s));
}

}  // namespace candor::crypto
