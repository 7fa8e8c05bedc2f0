// Codec for SenderKeyDistribution, inside GroupControl.
#include "candor/protocol/group_wire.h"

#include "candor/crypto/limits.h"
#include "candor/wire/content.pb.h"
#include "strict_parse.h"
#include "wire_internal.h"

namespace candor::protocol {
namespace {

using internal::FixedBytes;

// The parse message holds a chain key and a header key: wiped however the
// decode ends.
struct ControlProto {
  wire::GroupControl pb;
  ~ControlProto() {
    if (!pb.has_sender_key_distribution()) return;
    auto* d = pb.mutable_sender_key_distribution();
    internal::WipeStringCapacity(*d->mutable_chain_key());
    internal::WipeStringCapacity(*d->mutable_header_key());
  }
};

Result<SecretArray<32>> SecretField(std::string& value, std::string_view name) {
  if (value.size() != 32) {
    return Error(Errc::kBadFieldLength, "sender_key_distribution." + std::string(name) +
                                            " must be 32 bytes");
  }
  return SecretArray<32>::CopyFrom(AsBytes(value));
}

}  // namespace

Result<Bytes> EncodeSenderKeyDistribution(const SenderKeyDistribution& d) {
  if (d.previous_key_id.has_value() != d.previous_final_iteration.has_value()) {
    return Error(Errc::kMissingField,
                 "the previous key's id and final iteration must come together");
  }
  ControlProto content;
  auto* pb = content.pb.mutable_sender_key_distribution();
  pb->set_group_id(internal::ToString(d.chain.group));
  pb->set_epoch(d.epoch);
  pb->set_key_id(d.chain.kid);
  pb->set_iteration(d.chain.iteration);
  pb->set_chain_key(internal::ToString(d.chain.chain_key.Expose()));
  pb->set_header_key(internal::ToString(d.chain.header_key.Expose()));
  pb->set_signing_key(internal::ToString(d.signing_public.bytes()));
  if (d.previous_key_id) {
    pb->set_previous_key_id(*d.previous_key_id);
    pb->set_previous_final_iteration(*d.previous_final_iteration);
  }
  std::string out;
  if (!content.pb.SerializeToString(&out)) {
    return Error(Errc::kInternal, "cannot serialize a sender key distribution");
  }
  Bytes bytes(out.begin(), out.end());
  internal::WipeStringCapacity(out);
  return bytes;
}

Result<SenderKeyDistribution> DecodeSenderKeyDistribution(ByteView content) {
  ControlProto parsed;
  CANDOR_RETURN_IF_ERROR(
      internal::ParseStrict(content, kMaxContentBytes, internal::kUnversioned, parsed.pb));
  if (!parsed.pb.has_sender_key_distribution()) {
    return Error(Errc::kMissingField, "group control message without a sender key distribution");
  }
  auto* pb = parsed.pb.mutable_sender_key_distribution();
  CANDOR_ASSIGN_OR_RETURN(auto group, FixedBytes<crypto::kGroupIdBytes>(
                                          pb->group_id(), "sender_key_distribution.group_id"));
  CANDOR_ASSIGN_OR_RETURN(auto signing_bytes,
                          FixedBytes<crypto::kEd25519PublicKeyBytes>(
                              pb->signing_key(), "sender_key_distribution.signing_key"));
  CANDOR_ASSIGN_OR_RETURN(auto signing, crypto::Ed25519PublicKey::FromBytes(signing_bytes));
  if (pb->has_previous_key_id() != pb->has_previous_final_iteration()) {
    return Error(Errc::kMissingField,
                 "sender_key_distribution: the previous key's id and final iteration must come "
                 "together");
  }
  CANDOR_ASSIGN_OR_RETURN(auto ck, SecretField(*pb->mutable_chain_key(), "chain_key"));
  CANDOR_ASSIGN_OR_RETURN(auto hk, SecretField(*pb->mutable_header_key(), "header_key"));
  SenderKeyDistribution out{
      pb->epoch(),
      crypto::SenderChain{group, pb->key_id(), pb->iteration(), std::move(ck), std::move(hk)},
      signing, std::nullopt, std::nullopt};
  if (pb->has_previous_key_id()) {
    out.previous_key_id = pb->previous_key_id();
    out.previous_final_iteration = pb->previous_final_iteration();
  }
  // One encoding only, as for text content: what a member re-encodes (to
  // forward nothing, but to compare) is what it received.
  CANDOR_ASSIGN_OR_RETURN(Bytes again, EncodeSenderKeyDistribution(out));
  const bool canonical = ByteView(again).size() == content.size() &&
                         std::equal(again.begin(), again.end(), content.begin());
  candor::internal::SecureWipe(again.data(), again.size());
  if (!canonical) {
    return Error(Errc::kMalformed, "sender key distribution is not in its canonical encoding");
  }
  return out;
}

}  // namespace candor::protocol
