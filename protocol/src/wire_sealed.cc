// Codecs for sealed sender (sealed_wire.h).
#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/wire/envelope.pb.h"
#include "candor/wire/sealed.pb.h"
#include "sealed_internal.h"
#include "strict_parse.h"

namespace candor::protocol {

using internal::CheckAccountField;
using internal::FixedBytes;
using internal::ParseStrict;

namespace {

Result<crypto::Ed25519PublicKey> PublicKeyField(const std::string& value, std::string_view name) {
  if (value.size() != crypto::kEd25519PublicKeyBytes) {
    return Error(Errc::kBadFieldLength, std::string(name) + " must be 32 bytes");
  }
  return crypto::Ed25519PublicKey::FromBytes(AsBytes(value));
}

Result<void> CheckExpiry(uint64_t expires_at, std::string_view name) {
  if (expires_at == 0) return Error(Errc::kMissingField, std::string(name) + " is missing");
  if (expires_at > kMaxExpiryTime) {
    return Error(Errc::kFieldOutOfRange, std::string(name) + " is beyond any storable time");
  }
  return Ok();
}

// --- SenderCertificate ---

Result<void> FillCertificate(const crypto::SenderCertificate& c, wire::SenderCertificate& pb) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(c.account, "sender_certificate.account"));
  CANDOR_RETURN_IF_ERROR(CheckExpiry(c.expires_at, "sender_certificate.expires_at"));
  pb.set_account(c.account);
  CANDOR_SET_BYTES(pb, identity_key, c.identity_key.bytes());
  pb.set_expires_at(c.expires_at);
  CANDOR_SET_BYTES(pb, signature, c.signature);
  return Ok();
}

Result<crypto::SenderCertificate> ReadCertificate(const wire::SenderCertificate& pb) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.account(), "sender_certificate.account"));
  CANDOR_ASSIGN_OR_RETURN(auto key,
                          PublicKeyField(pb.identity_key(), "sender_certificate.identity_key"));
  CANDOR_RETURN_IF_ERROR(CheckExpiry(pb.expires_at(), "sender_certificate.expires_at"));
  CANDOR_ASSIGN_OR_RETURN(auto signature, FixedBytes<crypto::kEd25519SignatureBytes>(
                                              pb.signature(), "sender_certificate.signature"));
  return crypto::SenderCertificate{pb.account(), key, pb.expires_at(), signature};
}

// --- ModerationToken ---

Result<void> CheckSealedAccount(size_t size) {
  if (size < crypto::kMinTokenSealedAccountBytes || size > crypto::kMaxTokenSealedAccountBytes) {
    return Error(Errc::kBadFieldLength, "moderation_token.sealed_account has no valid length");
  }
  return Ok();
}

Result<void> FillToken(const crypto::ModerationToken& t, wire::ModerationToken& pb) {
  CANDOR_RETURN_IF_ERROR(CheckSealedAccount(t.sealed_account.size()));
  CANDOR_RETURN_IF_ERROR(CheckExpiry(t.expires_at, "moderation_token.expires_at"));
  CANDOR_SET_BYTES(pb, nonce, t.nonce);
  CANDOR_SET_BYTES(pb, sealed_account, t.sealed_account);
  CANDOR_SET_BYTES(pb, one_use_key, t.one_use_key.bytes());
  pb.set_expires_at(t.expires_at);
  CANDOR_SET_BYTES(pb, signature, t.signature);
  return Ok();
}

Result<crypto::ModerationToken> ReadToken(const wire::ModerationToken& pb) {
  CANDOR_ASSIGN_OR_RETURN(auto nonce, FixedBytes<crypto::kTokenNonceBytes>(
                                          pb.nonce(), "moderation_token.nonce"));
  CANDOR_RETURN_IF_ERROR(CheckSealedAccount(pb.sealed_account().size()));
  CANDOR_ASSIGN_OR_RETURN(auto key,
                          PublicKeyField(pb.one_use_key(), "moderation_token.one_use_key"));
  CANDOR_RETURN_IF_ERROR(CheckExpiry(pb.expires_at(), "moderation_token.expires_at"));
  CANDOR_ASSIGN_OR_RETURN(auto signature, FixedBytes<crypto::kEd25519SignatureBytes>(
                                              pb.signature(), "moderation_token.signature"));
  return crypto::ModerationToken{nonce, internal::ToBytes(pb.sealed_account()), key,
                                 pb.expires_at(), signature};
}

// At most kMaxTokensPerRequest keys: the quadratic scan stays small.
Result<void> CheckDistinct(const std::vector<crypto::Ed25519PublicKey>& keys) {
  for (size_t i = 1; i < keys.size(); ++i) {
    if (std::find(keys.begin(), keys.begin() + i, keys[i]) != keys.begin() + i) {
      return Error(Errc::kFieldOutOfRange, "token_request names a one-use key twice");
    }
  }
  return Ok();
}

Result<void> CheckTokenCount(size_t count, std::string_view name) {
  if (count == 0) return Error(Errc::kMissingField, std::string(name) + " is empty");
  if (count > kMaxTokensPerRequest) {
    return Error(Errc::kFieldOutOfRange, std::string(name) + " holds more than " +
                                             std::to_string(kMaxTokensPerRequest) + " tokens");
  }
  return Ok();
}

}  // namespace

Result<Bytes> EncodeSenderCertificate(const crypto::SenderCertificate& certificate) {
  wire::SenderCertificate pb;
  CANDOR_RETURN_IF_ERROR(FillCertificate(certificate, pb));
  return internal::Serialize(pb, kWireVersion);
}

Result<crypto::SenderCertificate> DecodeSenderCertificate(ByteView bytes) {
  wire::SenderCertificate pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxSenderCertificateBytes, kWireVersion, pb));
  return ReadCertificate(pb);
}

Result<Bytes> EncodeTokenRequest(const std::vector<crypto::Ed25519PublicKey>& one_use_keys) {
  CANDOR_RETURN_IF_ERROR(CheckTokenCount(one_use_keys.size(), "token_request.one_use_keys"));
  CANDOR_RETURN_IF_ERROR(CheckDistinct(one_use_keys));
  wire::TokenRequest pb;
  for (const auto& key : one_use_keys) pb.add_one_use_keys(internal::ToString(key.bytes()));
  return internal::Serialize(pb, kWireVersion);
}

Result<std::vector<crypto::Ed25519PublicKey>> DecodeTokenRequest(ByteView bytes) {
  wire::TokenRequest pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxTokenRequestBytes, kWireVersion, pb));
  CANDOR_RETURN_IF_ERROR(CheckTokenCount(pb.one_use_keys_size(), "token_request.one_use_keys"));
  std::vector<crypto::Ed25519PublicKey> keys;
  keys.reserve(pb.one_use_keys_size());
  for (const std::string& value : pb.one_use_keys()) {
    CANDOR_ASSIGN_OR_RETURN(auto key, PublicKeyField(value, "token_request.one_use_keys"));
    keys.push_back(key);
  }
  CANDOR_RETURN_IF_ERROR(CheckDistinct(keys));
  return keys;
}

Result<Bytes> EncodeTokenResponse(const std::vector<crypto::ModerationToken>& tokens) {
  CANDOR_RETURN_IF_ERROR(CheckTokenCount(tokens.size(), "token_response.tokens"));
  wire::TokenResponse pb;
  for (const auto& token : tokens) CANDOR_RETURN_IF_ERROR(FillToken(token, *pb.add_tokens()));
  return internal::Serialize(pb, kWireVersion);
}

Result<std::vector<crypto::ModerationToken>> DecodeTokenResponse(ByteView bytes) {
  wire::TokenResponse pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxTokenResponseBytes, kWireVersion, pb));
  CANDOR_RETURN_IF_ERROR(CheckTokenCount(pb.tokens_size(), "token_response.tokens"));
  std::vector<crypto::ModerationToken> tokens;
  tokens.reserve(pb.tokens_size());
  for (const auto& t : pb.tokens()) {
    CANDOR_ASSIGN_OR_RETURN(auto token, ReadToken(t));
    tokens.push_back(std::move(token));
  }
  return tokens;
}

Result<Bytes> EncodeSealedProof(const SealedProof& proof) {
  wire::SealedProof pb;
  CANDOR_RETURN_IF_ERROR(FillCertificate(proof.certificate, *pb.mutable_certificate()));
  CANDOR_RETURN_IF_ERROR(FillToken(proof.token, *pb.mutable_token()));
  CANDOR_SET_BYTES(pb, token_signature, proof.token_signature);
  return internal::Serialize(pb, internal::kUnversioned);
}

Result<SealedProof> DecodeSealedProof(ByteView bytes) {
  wire::SealedProof pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxSealedProofBytes, internal::kUnversioned, pb));
  return internal::ReadSealedProof(pb);
}

Result<SealedProof> internal::ReadSealedProof(const wire::SealedProof& pb) {
  if (!pb.has_certificate()) return Error(Errc::kMissingField, "sealed_proof.certificate is missing");
  if (!pb.has_token()) return Error(Errc::kMissingField, "sealed_proof.token is missing");
  CANDOR_ASSIGN_OR_RETURN(auto certificate, ReadCertificate(pb.certificate()));
  CANDOR_ASSIGN_OR_RETURN(auto token, ReadToken(pb.token()));
  CANDOR_ASSIGN_OR_RETURN(auto signature, FixedBytes<crypto::kEd25519SignatureBytes>(
                                              pb.token_signature(), "sealed_proof.token_signature"));
  return SealedProof{std::move(certificate), std::move(token), signature};
}

namespace {

Result<void> CheckInner(std::string_view sender, ContentType type, ByteView payload) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(sender, "sealed.sender"));
  if (type == ContentType::kPrekeyMessage) {
    CANDOR_RETURN_IF_ERROR(DecodePrekeyMessage(payload));
  } else if (type == ContentType::kRatchetMessage) {
    CANDOR_RETURN_IF_ERROR(DecodeRatchetMessage(payload));
  } else {
    return Error(Errc::kFieldOutOfRange, "a sealed box holds a prekey or a ratchet message");
  }
  return Ok();
}

}  // namespace

Result<Bytes> EncodeSealedInner(const SealedInner& inner) {
  CANDOR_RETURN_IF_ERROR(CheckInner(inner.sender, inner.content_type, inner.payload));
  ByteWriter w(2 + kMaxAccountBytes + 1 + inner.payload.size());
  CANDOR_RETURN_IF_ERROR(w.PutLengthPrefixed(AsBytes(inner.sender)));
  // Zeros up to the longest account: the box's size must not tell the
  // relay how long the sender's name is.
  w.PutBytes(Bytes(kMaxAccountBytes - inner.sender.size(), 0));
  w.PutU8(static_cast<uint8_t>(inner.content_type));
  w.PutBytes(inner.payload);
  return std::move(w).Take();
}

Result<SealedInner> DecodeSealedInner(ByteView bytes) {
  if (bytes.size() > kMaxSealedPayloadBytes - crypto::kSealedBoxOverheadBytes) {
    return Error(Errc::kMessageTooLarge, "sealed box plaintext is too large");
  }
  ByteReader r(bytes);
  const Error truncated(Errc::kMalformed, "sealed box plaintext is truncated");
  auto sender = r.ReadLengthPrefixed();
  if (!sender.has_value()) return truncated;
  if (sender->size() > kMaxAccountBytes) {
    return Error(Errc::kFieldOutOfRange, "sealed.sender is longer than an account can be");
  }
  auto padding = r.ReadBytes(kMaxAccountBytes - sender->size());
  if (!padding.has_value()) return truncated;
  if (std::any_of(padding->begin(), padding->end(), [](uint8_t b) { return b != 0; })) {
    return Error(Errc::kMalformed, "sealed.sender's padding is not zeros");
  }
  auto type = r.ReadU8();
  if (!type.has_value()) return truncated;
  auto payload = r.ReadBytes(r.remaining());
  if (!payload.has_value() || payload->empty()) return truncated;
  std::string name(sender->begin(), sender->end());
  if (*type != static_cast<uint8_t>(ContentType::kPrekeyMessage) &&
      *type != static_cast<uint8_t>(ContentType::kRatchetMessage)) {
    return Error(Errc::kFieldOutOfRange, "a sealed box holds a prekey or a ratchet message");
  }
  const auto content_type = static_cast<ContentType>(*type);
  CANDOR_RETURN_IF_ERROR(CheckInner(name, content_type, *payload));
  return SealedInner{std::move(name), content_type, Bytes(payload->begin(), payload->end())};
}

}  // namespace candor::protocol
