#include "candor/crypto/sealed_sender.h"

#include <algorithm>

#include "candor/crypto/aead.h"
#include "candor/crypto/limits.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kCertificateLabel = "candor/sender-cert/v1";
constexpr std::string_view kTokenAdLabel = "candor/token/v1";
constexpr std::string_view kTokenSignatureLabel = "candor/token-sig/v1";
constexpr std::string_view kSealedLabel = "candor/sealed/v1";

Result<void> CheckCommitment(ByteView commitment) {
  if (commitment.size() != kFrankingCommitmentBytes) {
    return Error(Errc::kInvalidArgument, "franking commitment must be 32 bytes");
  }
  return Ok();
}

}  // namespace

TokenKey GenerateTokenKey(RandomSource& rng) {
  TokenKey key;
  rng.Fill(key.Expose());
  return key;
}

Result<Bytes> SenderCertificateSignedBytes(std::string_view account,
                                           const Ed25519PublicKey& identity_key,
                                           uint64_t expires_at) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(account));
  ByteWriter w(kCertificateLabel.size() + 2 + account.size() + 32 + 8);
  w.PutBytes(AsBytes(kCertificateLabel));
  CANDOR_RETURN_IF_ERROR(w.PutLengthPrefixed(AsBytes(account)));
  w.PutBytes(identity_key.bytes());
  w.PutBe64(expires_at);
  return std::move(w).Take();
}

Result<SenderCertificate> IssueSenderCertificate(const Ed25519KeyPair& directory,
                                                 std::string_view account,
                                                 const Ed25519PublicKey& identity_key,
                                                 uint64_t expires_at) {
  CANDOR_ASSIGN_OR_RETURN(Bytes signed_bytes,
                          SenderCertificateSignedBytes(account, identity_key, expires_at));
  return SenderCertificate{std::string(account), identity_key, expires_at,
                           directory.Sign(signed_bytes)};
}

Result<void> VerifySenderCertificate(const Ed25519PublicKey& directory,
                                     const SenderCertificate& certificate, uint64_t now) {
  auto signed_bytes = SenderCertificateSignedBytes(certificate.account,
                                                   certificate.identity_key,
                                                   certificate.expires_at);
  if (!signed_bytes.has_value() ||
      !directory.Verify(*signed_bytes, certificate.signature).has_value()) {
    return Error(Errc::kBadSenderCertificate,
                 "sender certificate is not signed by the pinned directory key");
  }
  if (certificate.expires_at > kMaxExpiryTime) {
    return Error(Errc::kBadSenderCertificate, "sender certificate expiry is out of range");
  }
  if (now > certificate.expires_at) {
    return Error(Errc::kBadSenderCertificate, "sender certificate has expired");
  }
  return Ok();
}

Result<Bytes> ModerationTokenSignedBytes(const ModerationToken& token) {
  ByteWriter w(kTokenSignatureLabel.size() + kTokenNonceBytes + 2 +
               token.sealed_account.size() + 32 + 8);
  w.PutBytes(AsBytes(kTokenSignatureLabel));
  w.PutBytes(token.nonce);
  CANDOR_RETURN_IF_ERROR(w.PutLengthPrefixed(token.sealed_account));
  w.PutBytes(token.one_use_key.bytes());
  w.PutBe64(token.expires_at);
  return std::move(w).Take();
}

Result<ModerationToken> IssueModerationToken(const TokenKey& token_key,
                                             const Ed25519KeyPair& signing_key,
                                             std::string_view account, uint64_t issued_at,
                                             const Ed25519PublicKey& one_use_key,
                                             uint64_t expires_at, RandomSource& rng) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(account));
  ByteWriter owner(2 + account.size() + 8);
  CANDOR_RETURN_IF_ERROR(owner.PutLengthPrefixed(AsBytes(account)));
  owner.PutBe64(issued_at);
  auto key = TokenKey::CopyFrom(token_key.Expose());
  if (!key.has_value()) return key.error();
  const XChaCha20Poly1305 aead(std::move(*key));
  // nonce_t || x, the nonce drawn by the AEAD from `rng`.
  const Bytes sealed = aead.Seal(owner.bytes(), AsBytes(kTokenAdLabel), rng);
  ModerationToken token{{}, {}, one_use_key, expires_at, {}};
  std::copy_n(sealed.begin(), kTokenNonceBytes, token.nonce.begin());
  token.sealed_account.assign(sealed.begin() + kTokenNonceBytes, sealed.end());
  CANDOR_ASSIGN_OR_RETURN(Bytes signed_bytes, ModerationTokenSignedBytes(token));
  token.signature = signing_key.Sign(signed_bytes);
  return token;
}

Result<void> VerifyModerationToken(const Ed25519PublicKey& service, const ModerationToken& token,
                                   uint64_t now) {
  auto signed_bytes = ModerationTokenSignedBytes(token);
  if (!signed_bytes.has_value() ||
      !service.Verify(*signed_bytes, token.signature).has_value()) {
    return Error(Errc::kBadModerationToken,
                 "moderation token is not signed by the pinned moderation key");
  }
  if (token.expires_at > kMaxExpiryTime) {
    return Error(Errc::kBadModerationToken, "moderation token expiry is out of range");
  }
  if (now > token.expires_at) {
    return Error(Errc::kBadModerationToken, "moderation token has expired");
  }
  return Ok();
}

Result<TokenOwner> OpenModerationToken(const TokenKey& token_key, const ModerationToken& token) {
  auto key = TokenKey::CopyFrom(token_key.Expose());
  if (!key.has_value()) return key.error();
  const XChaCha20Poly1305 aead(std::move(*key));
  Bytes sealed(token.nonce.begin(), token.nonce.end());
  sealed.insert(sealed.end(), token.sealed_account.begin(), token.sealed_account.end());
  auto owner = aead.Open(sealed, AsBytes(kTokenAdLabel));
  if (!owner.has_value()) {
    return Error(Errc::kBadModerationToken, "moderation token does not open under this key");
  }
  const Error malformed(Errc::kBadModerationToken, "moderation token's owner is malformed");
  ByteReader r(owner->Expose());
  auto account = r.ReadLengthPrefixed();
  if (!account.has_value()) return malformed;
  auto issued_at = r.ReadBe64();
  if (!issued_at.has_value() || !r.Finish().has_value()) return malformed;
  std::string name(account->begin(), account->end());
  if (!CheckAccount(name).has_value()) {
    return Error(Errc::kBadModerationToken, "moderation token names no valid account");
  }
  return TokenOwner{std::move(name), *issued_at};
}

Result<Ed25519Signature> SignSealedCommitment(const Ed25519KeyPair& one_use_key,
                                              ByteView commitment) {
  CANDOR_RETURN_IF_ERROR(CheckCommitment(commitment));
  Bytes message(kSealedLabel.begin(), kSealedLabel.end());
  message.insert(message.end(), commitment.begin(), commitment.end());
  return one_use_key.Sign(message);
}

Result<void> VerifySealedCommitment(const Ed25519PublicKey& one_use_key, ByteView commitment,
                                    ByteView signature) {
  Bytes message(kSealedLabel.begin(), kSealedLabel.end());
  message.insert(message.end(), commitment.begin(), commitment.end());
  if (commitment.size() != kFrankingCommitmentBytes ||
      !one_use_key.Verify(message, signature).has_value()) {
    return Error(Errc::kBadModerationToken,
                 "the token's signature over the franking commitment does not verify");
  }
  return Ok();
}

}  // namespace candor::crypto
