#include "candor/group/group_state.h"

#include <algorithm>
#include <limits>

#include "candor/crypto/franking.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"

namespace candor::group {
namespace {

using protocol::GroupChange;
using protocol::GroupChangeKind;

Error Refuse(std::string why) { return Error(Errc::kInvalidState, std::move(why)); }

const GroupMember* Find(const GroupSnapshot& s, std::string_view account) {
  auto it = std::lower_bound(s.members.begin(), s.members.end(), account,
                             [](const GroupMember& m, std::string_view a) { return m.account < a; });
  return it != s.members.end() && it->account == account ? &*it : nullptr;
}

size_t AdminCount(const GroupSnapshot& s) {
  return static_cast<size_t>(
      std::count_if(s.members.begin(), s.members.end(), [](const GroupMember& m) { return m.admin; }));
}

void Sort(std::vector<GroupMember>& members) {
  std::sort(members.begin(), members.end(),
            [](const GroupMember& a, const GroupMember& b) { return a.account < b.account; });
}

// The order of two changes for one epoch: BLAKE2b-256 of the change they
// both build on and the author's name, then the change's own digest (two
// changes by one author). What an author writes cannot move it: a member
// cannot grind a change until it wins.
std::pair<std::array<uint8_t, 32>, protocol::GroupChangeDigest> TieKey(
    const protocol::GroupChangeDigest& previous, std::string_view author,
    const protocol::GroupChangeDigest& digest) {
  Bytes in(previous.begin(), previous.end());
  in.insert(in.end(), author.begin(), author.end());
  return {crypto::Blake2b256(in), digest};
}

// The epoch two mutual removals make: the same at every member, whichever
// arrived first.
protocol::GroupChangeDigest MergedDigest(const protocol::GroupChangeDigest& a,
                                         const protocol::GroupChangeDigest& b) {
  const ByteView label = AsBytes(std::string_view("candor/gmerge/v1"));
  Bytes in(label.begin(), label.end());
  const auto& lo = std::min(a, b);
  const auto& hi = std::max(a, b);
  in.insert(in.end(), lo.begin(), lo.end());
  in.insert(in.end(), hi.begin(), hi.end());
  return crypto::Blake2b256(in);
}

// Accounts in `before` and not in `after`.
std::vector<std::string> Departed(const GroupSnapshot& before, const GroupSnapshot& after) {
  std::vector<std::string> out;
  for (const GroupMember& m : before.members) {
    if (Find(after, m.account) == nullptr) out.push_back(m.account);
  }
  return out;
}

}  // namespace

Result<GroupSnapshot> ApplyChange(const GroupSnapshot& from, std::string_view author,
                                  const GroupChange& change,
                                  const protocol::GroupChangeDigest& digest) {
  if (change.author != author) {
    return Refuse("the change names " + change.author + " as its author, not " +
                  std::string(author));
  }
  const GroupMember* by = Find(from, author);
  if (by == nullptr) return Refuse(std::string(author) + " is not a member of the group");
  const bool needs_admin = change.kind != GroupChangeKind::kLeave;
  if (needs_admin && !by->admin) {
    return Refuse(std::string(author) + " is not an admin: only admins change the group");
  }
  GroupSnapshot next = from;
  switch (change.kind) {
    case GroupChangeKind::kCreate:
      return Refuse("a group is created once");
    case GroupChangeKind::kAdd:
      for (const std::string& a : change.accounts) {
        if (Find(from, a) != nullptr) return Refuse(a + " is already a member");
        next.members.push_back(GroupMember{a, false});
      }
      if (next.members.size() > kMaxGroupMembers) {
        return Refuse("a group has at most " + std::to_string(kMaxGroupMembers) + " members");
      }
      Sort(next.members);
      break;
    case GroupChangeKind::kRemove:
      for (const std::string& a : change.accounts) {
        if (a == author) return Refuse("an admin leaves with a leave, not by removing itself");
        if (Find(from, a) == nullptr) return Refuse(a + " is not a member");
      }
      std::erase_if(next.members, [&](const GroupMember& m) {
        return std::find(change.accounts.begin(), change.accounts.end(), m.account) !=
               change.accounts.end();
      });
      break;
    case GroupChangeKind::kLeave:
      if (by->admin && AdminCount(from) == 1 && from.members.size() > 1) {
        return Refuse("the last admin makes another member admin before leaving");
      }
      std::erase_if(next.members, [&](const GroupMember& m) { return m.account == author; });
      break;
    case GroupChangeKind::kRename:
      next.name = change.name;
      break;
    case GroupChangeKind::kMakeAdmin:
      for (const std::string& a : change.accounts) {
        const GroupMember* m = Find(from, a);
        if (m == nullptr) return Refuse(a + " is not a member");
        if (m->admin) return Refuse(a + " is already an admin");
      }
      for (GroupMember& m : next.members) {
        if (std::find(change.accounts.begin(), change.accounts.end(), m.account) !=
            change.accounts.end()) {
          m.admin = true;
        }
      }
      break;
  }
  next.epoch = change.epoch;
  next.last_change = digest;
  next.last_author = std::string(author);
  return next;
}

Result<std::pair<GroupState, Bytes>> GroupState::Create(std::string_view self,
                                                        const crypto::GroupId& id,
                                                        std::string_view name, ByteView avatar,
                                                        std::vector<std::string> members) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(self));
  if (std::find(members.begin(), members.end(), self) != members.end()) {
    return Error(Errc::kInvalidArgument, "the creator is a member already; name the others");
  }
  if (members.size() + 1 > kMaxGroupMembers) {
    return Error(Errc::kInvalidArgument,
                 "a group has at most " + std::to_string(kMaxGroupMembers) + " members");
  }
  std::sort(members.begin(), members.end());
  const GroupChange change{id,   std::string(self), 1, {}, GroupChangeKind::kCreate,
                           std::string(name), Bytes(avatar.begin(), avatar.end()), members};
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeGroupChange(change));
  CANDOR_ASSIGN_OR_RETURN(GroupState state, Join(self, self, encoded));
  return std::pair<GroupState, Bytes>(std::move(state), std::move(encoded));
}

Result<GroupState> GroupState::Join(std::string_view self, std::string_view author,
                                    ByteView bytes) {
  CANDOR_ASSIGN_OR_RETURN(GroupChange change, protocol::DecodeGroupChange(bytes));
  if (change.kind != GroupChangeKind::kCreate) {
    return Error(Errc::kInvalidArgument, "a group is joined from its creation");
  }
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(author));
  if (change.author != author) {
    return Error(Errc::kInvalidArgument, "the creation names another author than its sender");
  }
  if (std::find(change.accounts.begin(), change.accounts.end(), author) != change.accounts.end()) {
    return Error(Errc::kInvalidArgument, "the creator is named among the other members");
  }
  if (self != author &&
      std::find(change.accounts.begin(), change.accounts.end(), self) == change.accounts.end()) {
    return Error(Errc::kInvalidArgument, "this device is not a member of that group");
  }
  GroupSnapshot s{change.group, 1,  std::move(change.name), std::move(change.avatar), {},
                  protocol::DigestGroupChange(bytes), std::string(author)};
  s.members.push_back(GroupMember{std::string(author), true});
  for (std::string& a : change.accounts) s.members.push_back(GroupMember{std::move(a), false});
  Sort(s.members);
  return GroupState(std::string(self), std::move(s));
}

Result<GroupState> GroupState::FromWelcome(std::string_view self, std::string_view author,
                                           ByteView bytes) {
  CANDOR_ASSIGN_OR_RETURN(protocol::GroupWelcome w, protocol::DecodeGroupWelcome(bytes));
  if (w.author != author) {
    return Error(Errc::kInvalidArgument, "the welcome names another author than its sender");
  }
  CANDOR_ASSIGN_OR_RETURN(GroupChange add, protocol::DecodeGroupChange(w.add));
  if (std::find(add.accounts.begin(), add.accounts.end(), self) == add.accounts.end()) {
    return Error(Errc::kInvalidArgument, "the welcome's add does not name this device");
  }
  GroupSnapshot s{w.group, w.epoch, std::move(w.name), std::move(w.avatar), {}, w.last_change,
                  w.author};
  for (auto& m : w.members) s.members.push_back(GroupMember{std::move(m.account), m.admin});
  if (Find(s, self) == nullptr) {
    return Error(Errc::kInvalidArgument, "the welcome does not name this device as a member");
  }
  GroupState state(std::string(self), std::move(s));
  // Only the two of them: nobody else could vouch, and nobody else reads.
  if (state.current_.members.size() > 2) state.welcomed_by_ = std::move(w.author);
  return state;
}

Result<Bytes> GroupState::Welcome(ByteView add) const {
  if (!IsAdmin(self_)) return Refuse("only an admin welcomes the members it adds");
  if (protocol::DigestGroupChange(add) != current_.last_change || current_.last_author != self_) {
    return Error(Errc::kInvalidArgument, "a welcome follows this device's add of the current epoch");
  }
  protocol::GroupWelcome w{current_.id,   self_,           current_.epoch,
                           current_.last_change, current_.name, current_.avatar,
                           {},            Bytes(add.begin(), add.end())};
  for (const GroupMember& m : current_.members) w.members.push_back({m.account, m.admin});
  return protocol::EncodeGroupWelcome(w);
}

std::array<uint8_t, 32> MembershipDigest(const GroupSnapshot& s) {
  Bytes in;
  auto be32 = [&in](size_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) in.push_back(static_cast<uint8_t>(v >> shift));
  };
  auto lp = [&](ByteView b) {  // be16 length, as everywhere (at most 16 KiB here)
    in.push_back(static_cast<uint8_t>(b.size() >> 8));
    in.push_back(static_cast<uint8_t>(b.size()));
    in.insert(in.end(), b.begin(), b.end());
  };
  const ByteView label = AsBytes(std::string_view("candor/gmembers/v1"));
  in.insert(in.end(), label.begin(), label.end());
  in.insert(in.end(), s.id.begin(), s.id.end());
  be32(s.epoch);
  in.insert(in.end(), s.last_change.begin(), s.last_change.end());
  lp(AsBytes(s.name));
  lp(s.avatar);
  for (const GroupMember& m : s.members) {
    lp(AsBytes(m.account));
    in.push_back(m.admin ? 1 : 0);
  }
  return crypto::Blake2b256(in);
}

namespace {

Error Corrupt(std::string why) {
  return Error(Errc::kStorageFailed, "stored group state: " + std::move(why));
}

Result<void> CheckSnapshot(const GroupSnapshot& s) {
  if (s.epoch == 0) return Corrupt("epoch 0");
  if (s.name.empty() || s.name.size() > kMaxGroupNameBytes) return Corrupt("bad name length");
  if (s.avatar.size() > kMaxGroupAvatarBytes) return Corrupt("picture too large");
  if (s.members.size() > kMaxGroupMembers) return Corrupt("too many members");
  if (!s.last_author.empty() && !crypto::CheckAccount(s.last_author).has_value()) {
    return Corrupt("bad author");
  }
  for (size_t i = 0; i < s.members.size(); ++i) {
    if (!crypto::CheckAccount(s.members[i].account).has_value()) return Corrupt("bad account");
    if (i > 0 && s.members[i].account <= s.members[i - 1].account) {
      return Corrupt("members not sorted");
    }
  }
  return Ok();
}

}  // namespace

Result<GroupState> GroupState::Restore(std::string self, GroupSnapshot current,
                                       std::optional<GroupSnapshot> prior,
                                       std::optional<std::string> welcomed_by) {
  if (welcomed_by && !crypto::CheckAccount(*welcomed_by).has_value()) {
    return Corrupt("bad welcoming account");
  }
  if (!crypto::CheckAccount(self).has_value()) return Corrupt("bad account");
  CANDOR_RETURN_IF_ERROR(CheckSnapshot(current));
  if (prior) {
    CANDOR_RETURN_IF_ERROR(CheckSnapshot(*prior));
    if (prior->id != current.id || prior->epoch + 1 != current.epoch) {
      return Corrupt("the prior epoch is not the one before");
    }
  }
  GroupState state(std::move(self), std::move(current));
  state.prior_ = std::move(prior);
  state.welcomed_by_ = std::move(welcomed_by);
  return state;
}

Result<Bytes> GroupState::Issue(protocol::GroupChangeKind kind, std::vector<std::string> accounts,
                                std::string_view name) {
  if (!confirmed()) {
    return Refuse("this device's view of the group is not confirmed by another member yet");
  }
  if (current_.epoch == std::numeric_limits<uint32_t>::max()) {
    return Refuse("the group's epochs are used up");
  }
  std::sort(accounts.begin(), accounts.end());
  const GroupChange change{current_.id, self_, current_.epoch + 1, current_.last_change, kind,
                           std::string(name), {}, std::move(accounts)};
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeGroupChange(change));
  const auto digest = protocol::DigestGroupChange(encoded);
  CANDOR_ASSIGN_OR_RETURN(GroupSnapshot next, ApplyChange(current_, self_, change, digest));
  prior_ = std::move(current_);
  current_ = std::move(next);
  return encoded;
}

Result<ChangeOutcome> GroupState::Apply(std::string_view author, ByteView bytes) {
  CANDOR_ASSIGN_OR_RETURN(GroupChange change, protocol::DecodeGroupChange(bytes));
  if (change.group != current_.id) {
    return Error(Errc::kInvalidArgument, "the change is for another group");
  }
  const auto digest = protocol::DigestGroupChange(bytes);
  if (change.epoch == current_.epoch && digest == current_.last_change) {
    return ChangeOutcome{ChangeOutcome::Kind::kAlreadyApplied, std::nullopt, {}};
  }
  if (change.epoch == current_.epoch + 1) {
    if (change.previous_change != current_.last_change) {
      return Refuse("the change builds on a change this device does not have");
    }
    CANDOR_ASSIGN_OR_RETURN(GroupSnapshot next, ApplyChange(current_, author, change, digest));
    ChangeOutcome out{ChangeOutcome::Kind::kApplied, std::nullopt, Departed(current_, next)};
    prior_ = std::move(current_);
    current_ = std::move(next);
    return out;
  }
  if (change.epoch == current_.epoch && prior_ && change.previous_change == prior_->last_change) {
    // Two changes for one epoch. Every member must pick the same one
    // whichever arrived first, and no author may undo its own removal by
    // racing it: a change that removes the other's author wins; between
    // two that remove each other's authors, or neither, the smaller digest.
    CANDOR_ASSIGN_OR_RETURN(GroupSnapshot candidate, ApplyChange(*prior_, author, change, digest));
    const bool current_merged = current_.last_author.empty();
    const bool candidate_removes_current =
        !current_merged && Find(candidate, current_.last_author) == nullptr;
    const bool current_removes_candidate = Find(current_, author) == nullptr;
    if (candidate_removes_current && current_removes_candidate) {
      // Two admins removed each other: both removals stand, whatever the
      // order (neither can undo its own removal by a late counter-removal).
      GroupSnapshot merged = *prior_;
      std::erase_if(merged.members, [&](const GroupMember& m) {
        return Find(current_, m.account) == nullptr || Find(candidate, m.account) == nullptr;
      });
      merged.epoch = change.epoch;
      merged.last_change = MergedDigest(current_.last_change, digest);
      merged.last_author.clear();
      ChangeOutcome out{ChangeOutcome::Kind::kReplaced, std::nullopt, Departed(current_, merged)};
      current_ = std::move(merged);
      return out;
    }
    // Otherwise a change that removes the other's author wins; between two
    // that do not, the one whose author ranks first for this epoch
    // (TieKey: the author cannot steer it by what it writes).
    const bool candidate_wins =
        candidate_removes_current != current_removes_candidate
            ? candidate_removes_current
            : TieKey(prior_->last_change, author, digest) <
                  TieKey(prior_->last_change, current_.last_author, current_.last_change);
    if (candidate_wins) {
      ChangeOutcome out{ChangeOutcome::Kind::kReplaced, current_.last_author,
                        Departed(current_, candidate)};
      current_ = std::move(candidate);
      return out;
    }
    return ChangeOutcome{ChangeOutcome::Kind::kLostTieBreak, std::string(author), {}};
  }
  return Refuse("a change for epoch " + std::to_string(change.epoch) + ", the group is at epoch " +
                std::to_string(current_.epoch));
}

bool GroupState::IsMember(std::string_view account) const {
  return Find(current_, account) != nullptr;
}

bool GroupState::IsAdmin(std::string_view account) const {
  const GroupMember* m = Find(current_, account);
  return m != nullptr && m->admin;
}

}  // namespace candor::group
