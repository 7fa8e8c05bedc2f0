// Codecs for the session-level messages: PrekeyBundle, PrekeyMessage,
// RatchetMessage.
#include "candor/crypto/limits.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/wire.h"
#include "candor/wire/bundle.pb.h"
#include "candor/wire/message.pb.h"
#include "strict_parse.h"

namespace candor::protocol {

using internal::CheckAccountField;
using internal::FixedBytes;
using internal::ParseStrict;

namespace {

Result<crypto::Ed25519PublicKey> Ed25519Field(const std::string& v, std::string_view name) {
  CANDOR_ASSIGN_OR_RETURN(auto bytes, FixedBytes<crypto::kEd25519PublicKeyBytes>(v, name));
  return crypto::Ed25519PublicKey::FromBytes(bytes);
}

Result<crypto::X25519PublicKey> X25519Field(const std::string& v, std::string_view name) {
  CANDOR_ASSIGN_OR_RETURN(auto bytes, FixedBytes<crypto::kX25519KeyBytes>(v, name));
  return crypto::X25519PublicKey::FromBytes(bytes);
}

// The ciphertext must be a padded plaintext bucket plus the 16-byte tag.
Result<void> CheckCiphertextSize(size_t size) {
  const size_t tag = 16;
  if (size < kMinPaddingBucket + tag) {
    return Error(Errc::kBadFieldLength, "ratchet.ciphertext shorter than the smallest bucket");
  }
  auto bucket = PaddedSize(size - tag - 1);
  if (!bucket.has_value() || *bucket != size - tag) {
    return Error(Errc::kBadFieldLength, "ratchet.ciphertext is not a padding bucket size");
  }
  return Ok();
}

Result<crypto::RatchetCiphertext> FromProto(const wire::RatchetMessage& pb) {
  CANDOR_ASSIGN_OR_RETURN(auto header, FixedBytes<crypto::kEncryptedHeaderBytes>(
                                           pb.encrypted_header(), "ratchet.encrypted_header"));
  CANDOR_RETURN_IF_ERROR(CheckCiphertextSize(pb.ciphertext().size()));
  return crypto::RatchetCiphertext{header, internal::ToBytes(pb.ciphertext())};
}

Result<void> ToProto(const crypto::RatchetCiphertext& m, wire::RatchetMessage& pb) {
  CANDOR_RETURN_IF_ERROR(CheckCiphertextSize(m.body.size()));
  CANDOR_SET_BYTES(pb, encrypted_header, m.header);
  CANDOR_SET_BYTES(pb, ciphertext, m.body);
  return Ok();
}

}  // namespace

Result<crypto::PrekeyBundle> DecodePrekeyBundle(ByteView bytes) {
  wire::PrekeyBundle pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxPrekeyBundleBytes, /*versioned=*/true, pb));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.account(), "bundle.account"));
  CANDOR_ASSIGN_OR_RETURN(auto identity, Ed25519Field(pb.identity_key(), "bundle.identity_key"));
  CANDOR_ASSIGN_OR_RETURN(auto spk, X25519Field(pb.signed_prekey(), "bundle.signed_prekey"));
  CANDOR_ASSIGN_OR_RETURN(auto sig, FixedBytes<crypto::kEd25519SignatureBytes>(
                                        pb.signed_prekey_signature(),
                                        "bundle.signed_prekey_signature"));
  crypto::PrekeyBundle out{pb.account(), identity, pb.signed_prekey_id(), spk, sig,
                           std::nullopt, std::nullopt};
  if (pb.has_one_time_prekey_id() != !pb.one_time_prekey().empty()) {
    return Error(Errc::kMissingField, "bundle.one_time_prekey and its id must come together");
  }
  if (pb.has_one_time_prekey_id()) {
    CANDOR_ASSIGN_OR_RETURN(auto opk, X25519Field(pb.one_time_prekey(), "bundle.one_time_prekey"));
    out.one_time_prekey_id = pb.one_time_prekey_id();
    out.one_time_prekey = opk;
  }
  return out;
}

Result<Bytes> EncodePrekeyBundle(const crypto::PrekeyBundle& b) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(b.account, "bundle.account"));
  if (b.one_time_prekey_id.has_value() != b.one_time_prekey.has_value()) {
    return Error(Errc::kMissingField, "bundle.one_time_prekey and its id must come together");
  }
  wire::PrekeyBundle pb;
  pb.set_account(b.account);
  CANDOR_SET_BYTES(pb, identity_key, b.identity_key.bytes());
  pb.set_signed_prekey_id(b.signed_prekey_id);
  CANDOR_SET_BYTES(pb, signed_prekey, b.signed_prekey.bytes());
  CANDOR_SET_BYTES(pb, signed_prekey_signature, b.signed_prekey_signature);
  if (b.one_time_prekey_id) {
    pb.set_one_time_prekey_id(*b.one_time_prekey_id);
    CANDOR_SET_BYTES(pb, one_time_prekey, b.one_time_prekey->bytes());
  }
  return internal::Serialize(pb, /*versioned=*/true);
}

Result<crypto::RatchetCiphertext> DecodeRatchetMessage(ByteView bytes) {
  wire::RatchetMessage pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxRatchetMessageBytes, /*versioned=*/false, pb));
  return FromProto(pb);
}

Result<Bytes> EncodeRatchetMessage(const crypto::RatchetCiphertext& m) {
  wire::RatchetMessage pb;
  CANDOR_RETURN_IF_ERROR(ToProto(m, pb));
  return internal::Serialize(pb, /*versioned=*/false);
}

Result<PrekeyMessage> DecodePrekeyMessage(ByteView bytes) {
  wire::PrekeyMessage pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxPrekeyMessageBytes, /*versioned=*/false, pb));
  CANDOR_ASSIGN_OR_RETURN(auto identity, Ed25519Field(pb.identity_key(), "prekey.identity_key"));
  CANDOR_ASSIGN_OR_RETURN(auto ek, X25519Field(pb.ephemeral_key(), "prekey.ephemeral_key"));
  if (!pb.has_message()) return Error(Errc::kMissingField, "prekey.message is missing");
  CANDOR_ASSIGN_OR_RETURN(auto inner, FromProto(pb.message()));
  std::optional<uint32_t> opk_id;
  if (pb.has_one_time_prekey_id()) opk_id = pb.one_time_prekey_id();
  return PrekeyMessage{identity, ek, pb.signed_prekey_id(), opk_id, std::move(inner)};
}

Result<Bytes> EncodePrekeyMessage(const PrekeyMessage& m) {
  wire::PrekeyMessage pb;
  CANDOR_SET_BYTES(pb, identity_key, m.identity_key.bytes());
  CANDOR_SET_BYTES(pb, ephemeral_key, m.ephemeral_key.bytes());
  pb.set_signed_prekey_id(m.signed_prekey_id);
  if (m.one_time_prekey_id) pb.set_one_time_prekey_id(*m.one_time_prekey_id);
  CANDOR_RETURN_IF_ERROR(ToProto(m.message, *pb.mutable_message()));
  return internal::Serialize(pb, /*versioned=*/false);
}

}  // namespace candor::protocol
