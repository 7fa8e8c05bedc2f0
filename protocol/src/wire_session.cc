// Codecs for the session-level messages: PrekeyBundle, PrekeyMessage,
// RatchetMessage.
#include "candor/crypto/limits.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/wire.h"
#include "candor/wire/bundle.pb.h"
#include "candor/wire/message.pb.h"
#include "proto_writer.h"
#include "wire_internal.h"
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

Result<crypto::MlKem768PublicKey> MlKemField(const std::string& v, std::string_view name) {
  if (v.size() != crypto::kMlKem768EncapsulationKeyBytes) {
    return Error(Errc::kBadFieldLength, std::string(name) + " must be 1184 bytes");
  }
  auto key = crypto::MlKem768PublicKey::FromBytes(AsBytes(v));
  if (!key.has_value()) {
    return Error(Errc::kFieldOutOfRange,
                 std::string(name) + " fails the ML-KEM modulus check (FIPS 203 7.2)");
  }
  return std::move(*key);
}

// One ML-KEM prekey of a bundle: id, key and signature all present or all
// absent (nullopt).
Result<std::optional<crypto::SignedPqPrekey>> PqPrekeyFields(bool has_id, uint32_t id,
                                                            const std::string& key,
                                                            const std::string& signature,
                                                            std::string_view name) {
  if (has_id != !key.empty() || has_id != !signature.empty()) {
    return Error(Errc::kMissingField,
                 std::string(name) + ", its id and its signature must come together");
  }
  if (!has_id) return std::optional<crypto::SignedPqPrekey>();
  CANDOR_ASSIGN_OR_RETURN(auto pk, MlKemField(key, name));
  CANDOR_ASSIGN_OR_RETURN(auto sig, FixedBytes<crypto::kEd25519SignatureBytes>(
                                        signature, std::string(name) + "_signature"));
  return std::optional<crypto::SignedPqPrekey>(crypto::SignedPqPrekey{id, std::move(pk), sig});
}

// A RatchetMessage's lengths: the header exactly 80 bytes, the ciphertext a
// padding bucket plus the tag.
Result<void> CheckRatchetFields(const wire::RatchetMessage& pb) {
  if (pb.encrypted_header().size() != crypto::kEncryptedHeaderBytes) {
    return Error(Errc::kBadFieldLength, "ratchet.encrypted_header must be 80 bytes");
  }
  return internal::CheckCiphertextSize(pb.ciphertext().size());
}

Result<crypto::RatchetCiphertext> FromProto(const wire::RatchetMessage& pb) {
  CANDOR_RETURN_IF_ERROR(CheckRatchetFields(pb));
  crypto::RatchetCiphertext out;
  std::copy(pb.encrypted_header().begin(), pb.encrypted_header().end(), out.header.begin());
  out.body = internal::ToBytes(pb.ciphertext());
  return out;
}

// RatchetMessage { encrypted_header = 1; ciphertext = 2 }
size_t RatchetMessageSize(const crypto::RatchetCiphertext& m) {
  return internal::BytesFieldSize(1, m.header.size()) + internal::BytesFieldSize(2, m.body.size());
}

void WriteRatchetMessage(const crypto::RatchetCiphertext& m, internal::ProtoWriter& w) {
  w.BytesField(1, m.header);
  w.BytesField(2, m.body);
}

}  // namespace

Result<crypto::PrekeyBundle> DecodePrekeyBundle(ByteView bytes) {
  wire::PrekeyBundle pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxPrekeyBundleBytes, kWireVersion, pb));
  CANDOR_RETURN_IF_ERROR(CheckAccountField(pb.account(), "bundle.account"));
  CANDOR_ASSIGN_OR_RETURN(auto identity, Ed25519Field(pb.identity_key(), "bundle.identity_key"));
  CANDOR_ASSIGN_OR_RETURN(auto spk, X25519Field(pb.signed_prekey(), "bundle.signed_prekey"));
  CANDOR_ASSIGN_OR_RETURN(auto sig, FixedBytes<crypto::kEd25519SignatureBytes>(
                                        pb.signed_prekey_signature(),
                                        "bundle.signed_prekey_signature"));
  crypto::PrekeyBundle out{pb.account(), identity,     pb.signed_prekey_id(), spk, sig,
                           std::nullopt, std::nullopt, std::nullopt,          std::nullopt};
  if (pb.has_one_time_prekey_id() != !pb.one_time_prekey().empty()) {
    return Error(Errc::kMissingField, "bundle.one_time_prekey and its id must come together");
  }
  if (pb.has_one_time_prekey_id()) {
    CANDOR_ASSIGN_OR_RETURN(auto opk, X25519Field(pb.one_time_prekey(), "bundle.one_time_prekey"));
    out.one_time_prekey_id = pb.one_time_prekey_id();
    out.one_time_prekey = opk;
  }
  CANDOR_ASSIGN_OR_RETURN(out.pq_signed_prekey,
                          PqPrekeyFields(pb.has_pq_signed_prekey_id(), pb.pq_signed_prekey_id(),
                                         pb.pq_signed_prekey(), pb.pq_signed_prekey_signature(),
                                         "bundle.pq_signed_prekey"));
  CANDOR_ASSIGN_OR_RETURN(
      out.pq_one_time_prekey,
      PqPrekeyFields(pb.has_pq_one_time_prekey_id(), pb.pq_one_time_prekey_id(),
                     pb.pq_one_time_prekey(), pb.pq_one_time_prekey_signature(),
                     "bundle.pq_one_time_prekey"));
  if (out.pq_one_time_prekey && !out.pq_signed_prekey) {
    return Error(Errc::kMissingField, "bundle.pq_one_time_prekey needs bundle.pq_signed_prekey");
  }
  return out;
}

Result<Bytes> EncodePrekeyBundle(const crypto::PrekeyBundle& b) {
  CANDOR_RETURN_IF_ERROR(CheckAccountField(b.account, "bundle.account"));
  if (b.one_time_prekey_id.has_value() != b.one_time_prekey.has_value()) {
    return Error(Errc::kMissingField, "bundle.one_time_prekey and its id must come together");
  }
  if (b.pq_one_time_prekey && !b.pq_signed_prekey) {
    return Error(Errc::kMissingField, "bundle.pq_one_time_prekey needs bundle.pq_signed_prekey");
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
  if (b.pq_signed_prekey) {
    pb.set_pq_signed_prekey_id(b.pq_signed_prekey->id);
    CANDOR_SET_BYTES(pb, pq_signed_prekey, b.pq_signed_prekey->key.bytes());
    CANDOR_SET_BYTES(pb, pq_signed_prekey_signature, b.pq_signed_prekey->signature);
  }
  if (b.pq_one_time_prekey) {
    pb.set_pq_one_time_prekey_id(b.pq_one_time_prekey->id);
    CANDOR_SET_BYTES(pb, pq_one_time_prekey, b.pq_one_time_prekey->key.bytes());
    CANDOR_SET_BYTES(pb, pq_one_time_prekey_signature, b.pq_one_time_prekey->signature);
  }
  return internal::Serialize(pb, kWireVersion);
}

Result<internal::RatchetMessageView> internal::DecodeRatchetMessageView(ByteView bytes) {
  auto& pb = internal::ReusableMessage<wire::RatchetMessage>();
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxRatchetMessageBytes, internal::kUnversioned, pb));
  CANDOR_RETURN_IF_ERROR(CheckRatchetFields(pb));
  return RatchetMessageView{AsBytes(pb.encrypted_header()), AsBytes(pb.ciphertext())};
}

Result<crypto::RatchetCiphertext> DecodeRatchetMessage(ByteView bytes) {
  CANDOR_ASSIGN_OR_RETURN(auto view, internal::DecodeRatchetMessageView(bytes));
  crypto::RatchetCiphertext out;
  std::copy(view.header.begin(), view.header.end(), out.header.begin());
  out.body.assign(view.body.begin(), view.body.end());
  return out;
}

Result<Bytes> EncodeRatchetMessage(const crypto::RatchetCiphertext& m) {
  CANDOR_RETURN_IF_ERROR(internal::CheckCiphertextSize(m.body.size()));
  Bytes out(RatchetMessageSize(m));
  internal::ProtoWriter w(out);
  WriteRatchetMessage(m, w);
  return out;
}

Result<PrekeyMessage> DecodePrekeyMessage(ByteView bytes) {
  wire::PrekeyMessage pb;
  CANDOR_RETURN_IF_ERROR(ParseStrict(bytes, kMaxPrekeyMessageBytes, internal::kUnversioned, pb));
  CANDOR_ASSIGN_OR_RETURN(auto identity, Ed25519Field(pb.identity_key(), "prekey.identity_key"));
  CANDOR_ASSIGN_OR_RETURN(auto ek, X25519Field(pb.ephemeral_key(), "prekey.ephemeral_key"));
  if (!pb.has_message()) return Error(Errc::kMissingField, "prekey.message is missing");
  CANDOR_ASSIGN_OR_RETURN(auto inner, FromProto(pb.message()));
  std::optional<uint32_t> opk_id;
  if (pb.has_one_time_prekey_id()) opk_id = pb.one_time_prekey_id();
  // PQXDH: kind, id and ciphertext all present, or none (classical X3DH;
  // whether that is acceptable is the responder's decision, not the wire's).
  std::optional<crypto::PqPrekeyUse> pq;
  if (pb.has_pq_kind() != pb.has_pq_prekey_id() || pb.has_pq_kind() == pb.pq_ciphertext().empty()) {
    return Error(Errc::kMissingField,
                 "prekey.pq_kind, pq_prekey_id and pq_ciphertext must come together");
  }
  if (pb.has_pq_kind()) {
    if (pb.pq_kind() != static_cast<uint32_t>(crypto::PqPrekeyKind::kLastResort) &&
        pb.pq_kind() != static_cast<uint32_t>(crypto::PqPrekeyKind::kOneTime)) {
      return Error(Errc::kFieldOutOfRange, "prekey.pq_kind must be 1 or 2");
    }
    if (pb.pq_ciphertext().size() != crypto::kMlKem768CiphertextBytes) {
      return Error(Errc::kBadFieldLength, "prekey.pq_ciphertext must be 1088 bytes");
    }
    pq = crypto::PqPrekeyUse{static_cast<crypto::PqPrekeyKind>(pb.pq_kind()), pb.pq_prekey_id(),
                             internal::ToBytes(pb.pq_ciphertext())};
  }
  return PrekeyMessage{identity, ek, pb.signed_prekey_id(), opk_id, std::move(inner),
                       std::move(pq)};
}

Result<Bytes> EncodePrekeyMessage(const PrekeyMessage& m) {
  // PrekeyMessage { identity_key = 1; ephemeral_key = 2; signed_prekey_id = 3;
  //                 optional one_time_prekey_id = 4; message = 5;
  //                 optional pq_kind = 6; optional pq_prekey_id = 7; pq_ciphertext = 8 }
  CANDOR_RETURN_IF_ERROR(internal::CheckCiphertextSize(m.message.body.size()));
  if (m.pq && m.pq->ciphertext.size() != crypto::kMlKem768CiphertextBytes) {
    return Error(Errc::kBadFieldLength, "prekey.pq_ciphertext must be 1088 bytes");
  }
  const bool has_pq = m.pq.has_value();
  const uint32_t pq_kind = has_pq ? static_cast<uint32_t>(m.pq->kind) : 0;
  const uint32_t pq_id = has_pq ? m.pq->id : 0;
  const size_t pq_ct = has_pq ? m.pq->ciphertext.size() : 0;
  const size_t inner = RatchetMessageSize(m.message);
  const bool has_opk = m.one_time_prekey_id.has_value();
  const uint32_t opk = m.one_time_prekey_id.value_or(0);
  Bytes out(internal::BytesFieldSize(1, crypto::kEd25519PublicKeyBytes) +
            internal::BytesFieldSize(2, crypto::kX25519KeyBytes) +
            internal::VarintFieldSize(3, m.signed_prekey_id) +
            internal::VarintFieldSize(4, opk, has_opk) + internal::BytesFieldSize(5, inner) +
            internal::VarintFieldSize(6, pq_kind, has_pq) +
            internal::VarintFieldSize(7, pq_id, has_pq) + internal::BytesFieldSize(8, pq_ct));
  internal::ProtoWriter w(out);
  w.BytesField(1, m.identity_key.bytes());
  w.BytesField(2, m.ephemeral_key.bytes());
  w.VarintField(3, m.signed_prekey_id);
  w.VarintField(4, opk, has_opk);
  w.BytesHeader(5, inner);
  WriteRatchetMessage(m.message, w);
  w.VarintField(6, pq_kind, has_pq);
  w.VarintField(7, pq_id, has_pq);
  if (has_pq) w.BytesField(8, m.pq->ciphertext);
  return out;
}

}  // namespace candor::protocol
