#include "candor/group/group_record.h"

#include <limits>
#include <string>

#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/local/group_state.pb.h"

namespace candor::group {
namespace {

// A record is at most a group's state with a full picture and member list,
// or a sender key with its skipped keys: far below this.
constexpr size_t kMaxRecordBytes = 512 * 1024;

Error Corrupt(std::string why) {
  return Error(Errc::kStorageFailed, "stored group record: " + std::move(why));
}

std::string Str(ByteView b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }
void Wipe(std::string* s) { candor::internal::SecureWipe(s->data(), s->size()); }

SecretBytes Seal(std::string& out) {
  SecretBytes bytes = SecretBytes::CopyFrom(AsBytes(out));
  Wipe(&out);
  return bytes;
}

template <typename Pb>
Result<void> Parse(ByteView bytes, Pb& pb) {
  if (bytes.size() > kMaxRecordBytes) return Corrupt("too large");
  if (!pb.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Corrupt("does not parse");
  }
  return Ok();
}

template <size_t N>
Result<std::array<uint8_t, N>> Fixed(const std::string& v, const char* what) {
  if (v.size() != N) return Corrupt(std::string(what) + " has the wrong length");
  std::array<uint8_t, N> out;
  std::copy(v.begin(), v.end(), reinterpret_cast<char*>(out.data()));
  return out;
}

Result<SecretArray<32>> SecretField(const std::string& v, const char* what) {
  if (v.size() != 32) return Corrupt(std::string(what) + " has the wrong length");
  return SecretArray<32>::CopyFrom(AsBytes(v));
}

// --- Snapshots ----------------------------------------------------------------

void WriteSnapshot(const GroupSnapshot& s, local::GroupSnapshotRecord* pb) {
  pb->set_group_id(Str(s.id));
  pb->set_epoch(s.epoch);
  pb->set_name(s.name);
  pb->set_avatar(Str(s.avatar));
  for (const GroupMember& m : s.members) {
    auto* member = pb->add_members();
    member->set_account(m.account);
    member->set_admin(m.admin);
  }
  pb->set_last_change(Str(s.last_change));
  pb->set_last_author(s.last_author);
}

Result<GroupSnapshot> ReadSnapshot(const local::GroupSnapshotRecord& pb) {
  CANDOR_ASSIGN_OR_RETURN(auto id, Fixed<crypto::kGroupIdBytes>(pb.group_id(), "group id"));
  CANDOR_ASSIGN_OR_RETURN(auto last, Fixed<32>(pb.last_change(), "last change"));
  if (static_cast<size_t>(pb.members_size()) > kMaxGroupMembers) return Corrupt("too many members");
  GroupSnapshot s{id, pb.epoch(), pb.name(), Bytes(pb.avatar().begin(), pb.avatar().end()), {},
                  last, pb.last_author()};
  for (const auto& m : pb.members()) s.members.push_back(GroupMember{m.account(), m.admin()});
  return s;  // GroupState::Restore checks the rest
}

// --- Sender chains --------------------------------------------------------------

void WipeChain(local::SenderChainRecord* pb) {
  Wipe(pb->mutable_chain_key());
  Wipe(pb->mutable_header_key());
}

void WriteChain(const crypto::SenderChain& c, local::SenderChainRecord* pb) {
  pb->set_group_id(Str(c.group));
  pb->set_key_id(c.kid);
  pb->set_iteration(c.iteration);
  pb->set_chain_key(Str(c.chain_key.Expose()));
  pb->set_header_key(Str(c.header_key.Expose()));
}

Result<crypto::SenderChain> ReadChain(const local::SenderChainRecord& pb,
                                      const crypto::GroupId& group) {
  CANDOR_ASSIGN_OR_RETURN(auto id, Fixed<crypto::kGroupIdBytes>(pb.group_id(), "chain group id"));
  if (id != group) return Corrupt("a sender key stored under another group");
  CANDOR_ASSIGN_OR_RETURN(auto ck, SecretField(pb.chain_key(), "chain key"));
  CANDOR_ASSIGN_OR_RETURN(auto hk, SecretField(pb.header_key(), "header key"));
  return crypto::SenderChain{id, pb.key_id(), pb.iteration(), std::move(ck), std::move(hk)};
}

}  // namespace

Bytes SerializeGroupState(const GroupState& state) {
  local::GroupStateRecord pb;
  pb.set_self(state.self());
  WriteSnapshot(state.current(), pb.mutable_current());
  if (state.prior()) WriteSnapshot(*state.prior(), pb.mutable_prior());
  if (state.welcomer()) {
    pb.set_welcomed_by(*state.welcomer());
    pb.set_vouched(state.vouched());
    pb.set_alone_with_welcomer(state.alone_with_welcomer());
    for (const std::string& n : state.newcomers()) pb.add_newcomers(n);
  }
  for (const Bytes& c : state.candidates()) pb.add_candidates(Str(c));
  std::string out;
  pb.SerializeToString(&out);
  return Bytes(out.begin(), out.end());
}

Result<GroupState> ParseGroupState(ByteView bytes) {
  local::GroupStateRecord pb;
  CANDOR_RETURN_IF_ERROR(Parse(bytes, pb));
  if (!pb.has_current()) return Corrupt("no current epoch");
  CANDOR_ASSIGN_OR_RETURN(GroupSnapshot current, ReadSnapshot(pb.current()));
  std::optional<GroupSnapshot> prior;
  if (pb.has_prior()) {
    CANDOR_ASSIGN_OR_RETURN(prior, ReadSnapshot(pb.prior()));
  }
  std::optional<GroupState::Welcomed> welcomed;
  if (!pb.welcomed_by().empty()) {
    welcomed = GroupState::Welcomed{pb.welcomed_by(), pb.vouched(), pb.alone_with_welcomer(),
                                    {pb.newcomers().begin(), pb.newcomers().end()}};
  } else if (pb.vouched() || pb.alone_with_welcomer() || pb.newcomers_size() > 0) {
    return Corrupt("a welcome's flags without its welcomer");
  }
  if (static_cast<size_t>(pb.candidates_size()) > kMaxEpochCandidates) {
    return Corrupt("too many kept changes");
  }
  std::vector<Bytes> candidates;
  for (const std::string& c : pb.candidates()) candidates.emplace_back(c.begin(), c.end());
  return GroupState::Restore(pb.self(), std::move(current), std::move(prior),
                             std::move(welcomed), std::move(candidates));
}

SecretBytes SerializeOwnPart(const SenderKeyRing::OwnPart& own) {
  local::OwnSenderKeyRecord pb;
  if (own.own) {
    WriteChain(own.own->chain, pb.mutable_chain());
    pb.set_signing_seed(Str(own.own->signing.Seed().Expose()));
  }
  if (own.retired) {
    pb.set_retired_key_id(own.retired->first);
    pb.set_retired_final_iteration(own.retired->second);
  }
  for (const std::string& h : own.holders) pb.add_holders(h);
  std::string out;
  pb.SerializeToString(&out);
  Wipe(pb.mutable_signing_seed());
  if (pb.has_chain()) WipeChain(pb.mutable_chain());
  return Seal(out);
}

Result<SenderKeyRing::OwnPart> ParseOwnPart(ByteView bytes, const crypto::GroupId& group) {
  local::OwnSenderKeyRecord pb;
  struct WipeKeys {
    local::OwnSenderKeyRecord& pb;
    ~WipeKeys() {
      Wipe(pb.mutable_signing_seed());
      if (pb.has_chain()) WipeChain(pb.mutable_chain());
    }
  } wipe{pb};
  CANDOR_RETURN_IF_ERROR(Parse(bytes, pb));
  SenderKeyRing::OwnPart own;
  if (pb.has_chain()) {
    CANDOR_ASSIGN_OR_RETURN(crypto::SenderChain chain, ReadChain(pb.chain(), group));
    CANDOR_ASSIGN_OR_RETURN(auto seed, SecretField(pb.signing_seed(), "signing seed"));
    own.own = crypto::OwnSenderKey{std::move(chain), crypto::Ed25519KeyPair::FromSeed(std::move(seed))};
  } else if (!pb.signing_seed().empty()) {
    return Corrupt("a signing key without its chain");
  }
  if (pb.has_retired_key_id() != pb.has_retired_final_iteration()) {
    return Corrupt("the retired key's id and end come together");
  }
  if (pb.has_retired_key_id()) {
    own.retired = std::pair<uint32_t, uint32_t>(pb.retired_key_id(), pb.retired_final_iteration());
  }
  if (static_cast<size_t>(pb.holders_size()) > kMaxGroupMembers) return Corrupt("too many holders");
  for (const std::string& h : pb.holders()) {
    if (!crypto::CheckAccount(h).has_value()) return Corrupt("bad holder account");
    own.holders.insert(h);
  }
  return own;
}

SecretBytes SerializeMemberKey(const crypto::MemberSenderKey& key) {
  local::MemberSenderKeyRecord pb;
  WriteChain(key.chain, pb.mutable_chain());
  pb.set_signing_key(Str(key.signing_public.bytes()));
  if (key.final_iteration) pb.set_final_iteration(*key.final_iteration);
  for (const auto& chain : key.skipped.chains()) {
    for (const auto& k : chain.keys) {
      auto* s = pb.add_skipped();
      s->set_n(k.n);
      s->set_message_key(Str(k.message_key.Expose()));
      s->set_stored_at(k.stored_at);
      s->set_sequence(k.sequence);
    }
  }
  pb.set_skipped_next_sequence(key.skipped.next_sequence());
  std::string out;
  pb.SerializeToString(&out);
  for (auto& s : *pb.mutable_skipped()) Wipe(s.mutable_message_key());
  WipeChain(pb.mutable_chain());
  return Seal(out);
}

Result<crypto::MemberSenderKey> ParseMemberKey(ByteView bytes, const crypto::GroupId& group) {
  local::MemberSenderKeyRecord pb;
  struct WipeKeys {
    local::MemberSenderKeyRecord& pb;
    ~WipeKeys() {
      for (auto& s : *pb.mutable_skipped()) Wipe(s.mutable_message_key());
      if (pb.has_chain()) WipeChain(pb.mutable_chain());
    }
  } wipe{pb};
  CANDOR_RETURN_IF_ERROR(Parse(bytes, pb));
  if (!pb.has_chain()) return Corrupt("a member key without its chain");
  CANDOR_ASSIGN_OR_RETURN(crypto::SenderChain chain, ReadChain(pb.chain(), group));
  CANDOR_ASSIGN_OR_RETURN(auto signing_bytes,
                          Fixed<crypto::kEd25519PublicKeyBytes>(pb.signing_key(), "signing key"));
  auto signing = crypto::Ed25519PublicKey::FromBytes(signing_bytes);
  if (!signing.has_value()) return Corrupt("bad signing key");
  std::optional<uint32_t> final_iteration;
  if (pb.has_final_iteration()) final_iteration = pb.final_iteration();
  // What SkippedKeys::Restore assumes: ascending n, sequences behind the
  // next one, within the limit.
  if (static_cast<size_t>(pb.skipped_size()) > kMaxSkippedKeys) return Corrupt("too many skipped keys");
  if (pb.skipped_next_sequence() == std::numeric_limits<uint64_t>::max()) {
    return Corrupt("skipped_next_sequence at its maximum");
  }
  crypto::SkippedKeys skipped;
  for (int i = 0; i < pb.skipped_size(); ++i) {
    const auto& s = pb.skipped(i);
    if (s.sequence() >= pb.skipped_next_sequence()) return Corrupt("skipped key ahead of its sequence");
    if (i > 0 && s.n() <= pb.skipped(i - 1).n()) return Corrupt("skipped keys out of order");
    if (s.n() >= chain.iteration) return Corrupt("a skipped key at or past the chain");
    CANDOR_ASSIGN_OR_RETURN(auto mk, SecretField(s.message_key(), "skipped message key"));
    skipped.Restore(chain.header_key, crypto::SkippedKeys::Key{s.n(), std::move(mk), s.stored_at(),
                                                               s.sequence()});
  }
  skipped.set_next_sequence(pb.skipped_next_sequence());
  return crypto::MemberSenderKey{std::move(chain), *signing, final_iteration, std::move(skipped)};
}

}  // namespace candor::group
