// Codecs of GroupControl: sender key distributions, membership changes and
// welcomes.
#include "candor/protocol/group_wire.h"

#include "candor/crypto/franking.h"
#include "candor/crypto/hash.h"

#include "candor/crypto/limits.h"
#include "candor/wire/content.pb.h"
#include "strict_parse.h"
#include "utf8.h"
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

Result<SecretBytes> EncodeSenderKeyDistribution(const SenderKeyDistribution& d) {
  if (d.epoch == 0) {
    return Error(Errc::kFieldOutOfRange, "sender_key_distribution.epoch starts at 1");
  }
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
  pb->set_ownership(internal::ToString(d.ownership));
  if (d.membership) pb->set_membership_digest(internal::ToString(*d.membership));
  std::string out;
  if (!content.pb.SerializeToString(&out)) {
    return Error(Errc::kInternal, "cannot serialize a sender key distribution");
  }
  SecretBytes bytes = SecretBytes::CopyFrom(AsBytes(out));
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
  if (pb->epoch() == 0) {
    return Error(Errc::kFieldOutOfRange, "sender_key_distribution.epoch starts at 1");
  }
  if (pb->has_previous_key_id() != pb->has_previous_final_iteration()) {
    return Error(Errc::kMissingField,
                 "sender_key_distribution: the previous key's id and final iteration must come "
                 "together");
  }
  CANDOR_ASSIGN_OR_RETURN(auto ownership, FixedBytes<crypto::kEd25519SignatureBytes>(
                                              pb->ownership(), "sender_key_distribution.ownership"));
  CANDOR_ASSIGN_OR_RETURN(auto ck, SecretField(*pb->mutable_chain_key(), "chain_key"));
  CANDOR_ASSIGN_OR_RETURN(auto hk, SecretField(*pb->mutable_header_key(), "header_key"));
  SenderKeyDistribution out{
      pb->epoch(),
      crypto::SenderChain{group, pb->key_id(), pb->iteration(), std::move(ck), std::move(hk)},
      signing, std::nullopt, std::nullopt, ownership};
  if (pb->has_previous_key_id()) {
    out.previous_key_id = pb->previous_key_id();
    out.previous_final_iteration = pb->previous_final_iteration();
  }
  if (!pb->membership_digest().empty()) {
    CANDOR_ASSIGN_OR_RETURN(out.membership, (FixedBytes<32>(pb->membership_digest(),
                                                            "sender_key_distribution.membership_digest")));
  }
  // One encoding only, as for text content: what a member re-encodes (to
  // forward nothing, but to compare) is what it received.
  CANDOR_ASSIGN_OR_RETURN(SecretBytes again, EncodeSenderKeyDistribution(out));
  const ByteView a = again.Expose();
  const bool canonical =
      a.size() == content.size() && std::equal(a.begin(), a.end(), content.begin());
  if (!canonical) {
    return Error(Errc::kMalformed, "sender key distribution is not in its canonical encoding");
  }
  return out;
}

namespace {

Result<void> CheckName(std::string_view name) {
  if (name.empty() || name.size() > kMaxGroupNameBytes) {
    return Error(Errc::kFieldOutOfRange,
                 "a group name is 1.." + std::to_string(kMaxGroupNameBytes) + " bytes");
  }
  if (!internal::IsValidUtf8(name) || internal::HasForbiddenControl(name) ||
      name.find_first_of("\t\n") != std::string_view::npos) {
    return Error(Errc::kFieldOutOfRange,
                 "a group name is UTF-8 on one line, without control characters");
  }
  return Ok();
}

Result<void> CheckAccounts(const std::vector<std::string>& accounts, bool may_be_empty) {
  if (accounts.empty() && !may_be_empty) {
    return Error(Errc::kMissingField, "the change names no account");
  }
  if (accounts.size() > kMaxGroupChangeAccounts) {
    return Error(Errc::kFieldOutOfRange, "one change names at most " +
                                             std::to_string(kMaxGroupChangeAccounts) +
                                             " accounts");
  }
  // Sorted, each once: one set of accounts has one encoding, so an author
  // cannot try orders to steer the digest that breaks ties.
  for (size_t i = 0; i < accounts.size(); ++i) {
    CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(accounts[i]));
    if (i > 0 && accounts[i] <= accounts[i - 1]) {
      return Error(Errc::kFieldOutOfRange,
                   "a change names its accounts once each, in sorted order");
    }
  }
  return Ok();
}

Result<void> CheckChange(const GroupChange& c) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(c.author));
  const bool create = c.kind == GroupChangeKind::kCreate;
  const bool zero = c.previous_change == GroupChangeDigest{};
  if (c.epoch == 0 || (create != (c.epoch == 1)) || create != zero) {
    return Error(Errc::kFieldOutOfRange,
                 "epoch 1 with no previous change is a group's creation, and only that");
  }
  if (c.avatar.size() > kMaxGroupAvatarBytes || (!create && !c.avatar.empty())) {
    return Error(Errc::kFieldOutOfRange, "a group picture is at most " +
                                             std::to_string(kMaxGroupAvatarBytes) +
                                             " bytes, and only in a creation");
  }
  switch (c.kind) {
    case GroupChangeKind::kCreate:
      CANDOR_RETURN_IF_ERROR(CheckName(c.name));
      return CheckAccounts(c.accounts, /*may_be_empty=*/true);
    case GroupChangeKind::kRename:
      CANDOR_RETURN_IF_ERROR(CheckName(c.name));
      break;
    case GroupChangeKind::kLeave:
      break;
    case GroupChangeKind::kAdd:
    case GroupChangeKind::kRemove:
    case GroupChangeKind::kMakeAdmin:
      if (!c.name.empty()) return Error(Errc::kFieldOutOfRange, "only a rename carries a name");
      return CheckAccounts(c.accounts, /*may_be_empty=*/false);
  }
  if (!c.accounts.empty()) {
    return Error(Errc::kFieldOutOfRange, "a leave or a rename names no account");
  }
  if (c.kind == GroupChangeKind::kLeave && !c.name.empty()) {
    return Error(Errc::kFieldOutOfRange, "only a rename carries a name");
  }
  return Ok();
}

void SetAccounts(wire::GroupAccounts* out, const std::vector<std::string>& accounts) {
  for (const std::string& a : accounts) out->add_accounts(a);
}

}  // namespace

Result<Bytes> EncodeGroupChange(const GroupChange& c) {
  CANDOR_RETURN_IF_ERROR(CheckChange(c));
  wire::GroupControl control;
  auto* pb = control.mutable_change();
  pb->set_group_id(internal::ToString(c.group));
  pb->set_author(c.author);
  pb->set_epoch(c.epoch);
  pb->set_previous_change(internal::ToString(c.previous_change));
  switch (c.kind) {
    case GroupChangeKind::kCreate: {
      auto* create = pb->mutable_create();
      create->set_name(c.name);
      create->set_avatar(internal::ToString(c.avatar));
      for (const std::string& a : c.accounts) create->add_members(a);
      break;
    }
    case GroupChangeKind::kAdd: SetAccounts(pb->mutable_add(), c.accounts); break;
    case GroupChangeKind::kRemove: SetAccounts(pb->mutable_remove(), c.accounts); break;
    case GroupChangeKind::kLeave: pb->set_leave(true); break;
    case GroupChangeKind::kRename: pb->set_rename(c.name); break;
    case GroupChangeKind::kMakeAdmin: SetAccounts(pb->mutable_make_admin(), c.accounts); break;
  }
  std::string out;
  if (!control.SerializeToString(&out)) {
    return Error(Errc::kInternal, "cannot serialize a group change");
  }
  return Bytes(out.begin(), out.end());
}

Result<GroupChange> DecodeGroupChange(ByteView bytes) {
  wire::GroupControl control;
  CANDOR_RETURN_IF_ERROR(
      internal::ParseStrict(bytes, kMaxContentBytes, internal::kUnversioned, control));
  if (!control.has_change() || control.has_sender_key_distribution()) {
    return Error(Errc::kMissingField, "group control message without exactly a change");
  }
  const wire::GroupChange& pb = control.change();
  CANDOR_ASSIGN_OR_RETURN(auto group, FixedBytes<crypto::kGroupIdBytes>(pb.group_id(),
                                                                       "group_change.group_id"));
  CANDOR_ASSIGN_OR_RETURN(auto previous, FixedBytes<32>(pb.previous_change(),
                                                        "group_change.previous_change"));
  GroupChange c{group, pb.author(), pb.epoch(), previous, GroupChangeKind::kLeave, {}, {}, {}};
  auto accounts = [](const auto& list) {
    return std::vector<std::string>(list.begin(), list.end());
  };
  switch (pb.change_case()) {
    case wire::GroupChange::kCreate:
      c.kind = GroupChangeKind::kCreate;
      c.name = pb.create().name();
      c.avatar = internal::ToBytes(pb.create().avatar());
      c.accounts = accounts(pb.create().members());
      break;
    case wire::GroupChange::kAdd:
      c.kind = GroupChangeKind::kAdd;
      c.accounts = accounts(pb.add().accounts());
      break;
    case wire::GroupChange::kRemove:
      c.kind = GroupChangeKind::kRemove;
      c.accounts = accounts(pb.remove().accounts());
      break;
    case wire::GroupChange::kLeave:
      if (!pb.leave()) return Error(Errc::kMalformed, "group_change.leave must be true");
      c.kind = GroupChangeKind::kLeave;
      break;
    case wire::GroupChange::kRename:
      c.kind = GroupChangeKind::kRename;
      c.name = pb.rename();
      break;
    case wire::GroupChange::kMakeAdmin:
      c.kind = GroupChangeKind::kMakeAdmin;
      c.accounts = accounts(pb.make_admin().accounts());
      break;
    default:
      return Error(Errc::kMissingField, "group_change names no change");
  }
  CANDOR_RETURN_IF_ERROR(CheckChange(c));
  // One encoding only: the digest that orders changes must be the same at
  // every member, so no two encodings of one change may both be accepted.
  CANDOR_ASSIGN_OR_RETURN(Bytes again, EncodeGroupChange(c));
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) {
    return Error(Errc::kMalformed, "group change is not in its canonical encoding");
  }
  return c;
}

namespace {

Result<void> CheckWelcome(const GroupWelcome& w) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(w.author));
  if (w.epoch < 2) return Error(Errc::kFieldOutOfRange, "a welcome follows an add: epoch >= 2");
  CANDOR_RETURN_IF_ERROR(CheckName(w.name));
  if (w.avatar.size() > kMaxGroupAvatarBytes) {
    return Error(Errc::kFieldOutOfRange, "a group picture is at most " +
                                             std::to_string(kMaxGroupAvatarBytes) + " bytes");
  }
  if (w.members.size() < 2 || w.members.size() > kMaxGroupMembers) {
    return Error(Errc::kFieldOutOfRange, "a welcome lists 2.." +
                                             std::to_string(kMaxGroupMembers) + " members");
  }
  bool author_is_admin = false;
  for (size_t i = 0; i < w.members.size(); ++i) {
    CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(w.members[i].account));
    if (i > 0 && w.members[i].account <= w.members[i - 1].account) {
      return Error(Errc::kFieldOutOfRange, "a welcome lists its members once each, sorted");
    }
    author_is_admin |= w.members[i].account == w.author && w.members[i].admin;
  }
  if (!author_is_admin) {
    return Error(Errc::kFieldOutOfRange, "a welcome comes from an admin of the group");
  }
  // The add it follows: by its author, for this group, making its epoch.
  CANDOR_ASSIGN_OR_RETURN(GroupChange add, DecodeGroupChange(w.add));
  if (add.kind != GroupChangeKind::kAdd || add.author != w.author || add.group != w.group ||
      add.epoch != w.epoch || DigestGroupChange(w.add) != w.last_change) {
    return Error(Errc::kFieldOutOfRange,
                 "a welcome carries the add that made its epoch, by its author");
  }
  return Ok();
}

}  // namespace

Result<Bytes> EncodeGroupWelcome(const GroupWelcome& w) {
  CANDOR_RETURN_IF_ERROR(CheckWelcome(w));
  wire::GroupControl control;
  auto* pb = control.mutable_welcome();
  pb->set_group_id(internal::ToString(w.group));
  pb->set_author(w.author);
  pb->set_epoch(w.epoch);
  pb->set_last_change(internal::ToString(w.last_change));
  pb->set_name(w.name);
  pb->set_avatar(internal::ToString(w.avatar));
  for (const GroupWelcomeMember& m : w.members) {
    auto* member = pb->add_members();
    member->set_account(m.account);
    member->set_admin(m.admin);
  }
  pb->set_add(internal::ToString(w.add));
  if (control.ByteSizeLong() > kMaxContentBytes) {
    return Error(Errc::kMessageTooLarge,
                 "the group's welcome does not fit one message (too many long account names)");
  }
  std::string out;
  if (!control.SerializeToString(&out)) {
    return Error(Errc::kInternal, "cannot serialize a group welcome");
  }
  return Bytes(out.begin(), out.end());
}

Result<GroupWelcome> DecodeGroupWelcome(ByteView bytes) {
  wire::GroupControl control;
  CANDOR_RETURN_IF_ERROR(
      internal::ParseStrict(bytes, kMaxContentBytes, internal::kUnversioned, control));
  if (!control.has_welcome() || control.has_change() || control.has_sender_key_distribution()) {
    return Error(Errc::kMissingField, "group control message without exactly a welcome");
  }
  const wire::GroupWelcome& pb = control.welcome();
  CANDOR_ASSIGN_OR_RETURN(auto group, FixedBytes<crypto::kGroupIdBytes>(pb.group_id(),
                                                                       "group_welcome.group_id"));
  CANDOR_ASSIGN_OR_RETURN(auto last, FixedBytes<32>(pb.last_change(), "group_welcome.last_change"));
  GroupWelcome w{group, pb.author(), pb.epoch(), last, pb.name(), internal::ToBytes(pb.avatar()),
                 {},    internal::ToBytes(pb.add())};
  w.members.reserve(static_cast<size_t>(pb.members_size()));
  for (const auto& m : pb.members()) w.members.push_back({m.account(), m.admin()});
  CANDOR_RETURN_IF_ERROR(CheckWelcome(w));
  CANDOR_ASSIGN_OR_RETURN(Bytes again, EncodeGroupWelcome(w));
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) {
    return Error(Errc::kMalformed, "group welcome is not in its canonical encoding");
  }
  return w;
}

std::optional<GroupControlKind> GroupControlKindOf(ByteView content) {
  // Tags of fields 16, 17 and 18, length-delimited: 0x82, 0x8A, 0x92, then 0x01.
  if (content.size() < 2 || content[1] != 0x01) return std::nullopt;
  switch (content[0]) {
    case 0x82: return GroupControlKind::kSenderKeyDistribution;
    case 0x8A: return GroupControlKind::kChange;
    case 0x92: return GroupControlKind::kWelcome;
    default: return std::nullopt;
  }
}

bool IsGroupControl(ByteView content) { return GroupControlKindOf(content).has_value(); }

Result<void> CheckGroupControl(ByteView content) {
  const auto kind = GroupControlKindOf(content);
  if (kind == GroupControlKind::kSenderKeyDistribution) {
    CANDOR_RETURN_IF_ERROR(DecodeSenderKeyDistribution(content));
  } else if (kind == GroupControlKind::kWelcome) {
    CANDOR_RETURN_IF_ERROR(DecodeGroupWelcome(content));
  } else {
    CANDOR_RETURN_IF_ERROR(DecodeGroupChange(content));
  }
  return Ok();
}

Result<CheckedGroupControl> CheckedGroupControl::From(ByteView control) {
  if (!IsGroupControl(control)) return Error(Errc::kMalformed, "not a group control message");
  CANDOR_RETURN_IF_ERROR(CheckGroupControl(control));
  return CheckedGroupControl(SecretBytes::CopyFrom(control));
}

GroupChangeDigest DigestGroupChange(ByteView encoded) { return crypto::Blake2b256(encoded); }

}  // namespace candor::protocol
