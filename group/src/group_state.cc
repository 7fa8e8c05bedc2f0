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

namespace {

// The epoch a set of concurrent changes (all valid on `prior`) makes, the
// same at every member whatever the order they arrived in:
//  - a change whose author another change removes drops out (no author can
//    undo its own removal by racing it);
//  - of the rest, the change whose author ranks first wins (TieKey: fixed
//    for the epoch, nothing an author writes moves it), and every leave in
//    the set stands with it (leaves never conflict);
//  - if every change drops out (admins removing each other), the epoch is
//    a merge: only their authors leave — nobody else either change named,
//    so a removed admin cannot take the group down with it — and if no
//    admin remains, the first remaining member (by account) becomes one.
Result<GroupSnapshot> Resolve(const GroupSnapshot& prior, const std::vector<Bytes>& candidates) {
  struct Candidate {
    GroupChange change;
    protocol::GroupChangeDigest digest;
    GroupSnapshot result;
  };
  std::vector<Candidate> all;
  for (const Bytes& bytes : candidates) {
    CANDOR_ASSIGN_OR_RETURN(GroupChange change, protocol::DecodeGroupChange(bytes));
    const auto digest = protocol::DigestGroupChange(bytes);
    CANDOR_ASSIGN_OR_RETURN(GroupSnapshot result, ApplyChange(prior, change.author, change, digest));
    all.push_back(Candidate{std::move(change), digest, std::move(result)});
  }
  const Candidate* winner = nullptr;
  for (const Candidate& c : all) {
    const bool removed = std::any_of(all.begin(), all.end(), [&](const Candidate& d) {
      return &d != &c && Find(d.result, c.change.author) == nullptr;
    });
    if (removed) continue;
    if (winner == nullptr || TieKey(prior.last_change, c.change.author, c.digest) <
                                 TieKey(prior.last_change, winner->change.author, winner->digest)) {
      winner = &c;
    }
  }
  if (winner != nullptr) {
    // Leaves never conflict: every leave in the set stands with the winner
    // (a member that left must not stay listed because its leave lost).
    GroupSnapshot result = winner->result;
    for (const Candidate& c : all) {
      if (&c == winner || c.change.kind != GroupChangeKind::kLeave) continue;
      std::erase_if(result.members, [&](const GroupMember& m) { return m.account == c.change.author; });
    }
    if (!result.members.empty() && AdminCount(result) == 0) result.members.front().admin = true;
    return result;
  }
  GroupSnapshot merged = prior;
  std::erase_if(merged.members, [&](const GroupMember& m) {
    return std::any_of(all.begin(), all.end(),
                       [&](const Candidate& c) { return c.change.author == m.account; });
  });
  if (!merged.members.empty() && AdminCount(merged) == 0) merged.members.front().admin = true;
  std::vector<protocol::GroupChangeDigest> digests;
  for (const Candidate& c : all) digests.push_back(c.digest);
  std::sort(digests.begin(), digests.end());
  const ByteView label = AsBytes(std::string_view("candor/gmerge/v1"));
  Bytes in(label.begin(), label.end());
  for (const auto& d : digests) in.insert(in.end(), d.begin(), d.end());
  merged.epoch = all.front().change.epoch;
  merged.last_change = crypto::Blake2b256(in);
  merged.last_author.clear();
  return merged;
}

}  // namespace

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
  // Nobody but the welcomer and those its add brought in: nobody else could
  // vouch (and the user sees exactly who reads).
  state.alone_with_welcomer_ = std::all_of(
      state.current_.members.begin(), state.current_.members.end(), [&](const GroupMember& m) {
        return m.account == w.author ||
               std::find(add.accounts.begin(), add.accounts.end(), m.account) != add.accounts.end();
      });
  state.welcomer_ = std::move(w.author);
  state.newcomers_ = add.accounts;
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
  // Incremental: no buffer of the whole view (a picture of 16 KiB).
  auto h = crypto::Blake2b::Create(32);
  if (!h.has_value()) internal::DieOnBadResultAccess(h.error());  // 32 unkeyed: always valid
  auto lp = [&h](ByteView b) {  // be16 length, as everywhere (at most 16 KiB here)
    const uint8_t len[2] = {static_cast<uint8_t>(b.size() >> 8), static_cast<uint8_t>(b.size())};
    h->Update(len);
    h->Update(b);
  };
  h->Update(AsBytes(std::string_view("candor/gmembers/v1")));
  h->Update(s.id);
  const uint8_t epoch[4] = {static_cast<uint8_t>(s.epoch >> 24), static_cast<uint8_t>(s.epoch >> 16),
                            static_cast<uint8_t>(s.epoch >> 8), static_cast<uint8_t>(s.epoch)};
  h->Update(epoch);
  h->Update(s.last_change);
  lp(AsBytes(s.name));
  lp(s.avatar);
  for (const GroupMember& m : s.members) {
    lp(AsBytes(m.account));
    const uint8_t admin = m.admin ? 1 : 0;
    h->Update(ByteView(&admin, 1));
  }
  const Bytes digest = h->Final();
  std::array<uint8_t, 32> out{};
  std::copy(digest.begin(), digest.end(), out.begin());
  return out;
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
                                       std::optional<Welcomed> welcomed,
                                       std::vector<Bytes> candidates) {
  if (welcomed && !crypto::CheckAccount(welcomed->welcomer).has_value()) {
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
  // The concurrent changes kept for the current epoch must be changes for
  // it on top of the prior epoch, and resolve to it.
  if (candidates.size() > kMaxEpochCandidates || (!candidates.empty() && !prior)) {
    return Corrupt("concurrent changes without their epoch");
  }
  if (!candidates.empty()) {
    for (const Bytes& c : candidates) {
      auto change = protocol::DecodeGroupChange(c);
      if (!change.has_value() || change->group != current.id || change->epoch != current.epoch ||
          change->previous_change != prior->last_change) {
        return Corrupt("a kept change is not one for the current epoch");
      }
    }
    auto resolved = Resolve(*prior, candidates);
    if (!resolved.has_value() || !(*resolved == current)) {
      return Corrupt("the kept changes do not make the current epoch");
    }
  }
  GroupState state(std::move(self), std::move(current));
  state.prior_ = std::move(prior);
  if (welcomed) {
    state.welcomer_ = std::move(welcomed->welcomer);
    state.vouched_ = welcomed->vouched;
    state.alone_with_welcomer_ = welcomed->alone_with_welcomer;
    if (welcomed->newcomers.size() > kMaxGroupChangeAccounts) return Corrupt("too many newcomers");
    state.newcomers_ = std::move(welcomed->newcomers);
  }
  state.candidates_ = std::move(candidates);
  return state;
}

Result<Bytes> GroupState::Issue(protocol::GroupChangeKind kind, std::vector<std::string> accounts,
                                std::string_view name) {
  if (!confirmed() && kind != protocol::GroupChangeKind::kLeave) {
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
  candidates_ = {encoded};
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
    candidates_ = {Bytes(bytes.begin(), bytes.end())};
    return out;
  }
  if (change.epoch == current_.epoch && prior_ && change.previous_change == prior_->last_change) {
    // Concurrent changes for one epoch: every member keeps them all (a
    // bounded set) and decides from the whole set, so arrival order does
    // not matter (Resolve).
    for (const Bytes& known : candidates_) {
      if (protocol::DigestGroupChange(known) == digest) {
        return ChangeOutcome{ChangeOutcome::Kind::kAlreadyApplied, std::nullopt, {}};
      }
    }
    CANDOR_RETURN_IF_ERROR(ApplyChange(*prior_, author, change, digest));
    if (candidates_.size() >= kMaxEpochCandidates) {
      return Refuse("too many concurrent changes for epoch " + std::to_string(change.epoch));
    }
    std::vector<Bytes> candidates = candidates_;
    candidates.emplace_back(bytes.begin(), bytes.end());
    CANDOR_ASSIGN_OR_RETURN(GroupSnapshot resolved, Resolve(*prior_, candidates));
    candidates_ = std::move(candidates);
    if (resolved == current_) {
      return ChangeOutcome{ChangeOutcome::Kind::kLostTieBreak, std::string(author), {}};
    }
    std::optional<std::string> displaced;
    if (!current_.last_author.empty()) displaced = current_.last_author;
    ChangeOutcome out{ChangeOutcome::Kind::kReplaced, std::move(displaced),
                      Departed(current_, resolved)};
    current_ = std::move(resolved);
    return out;
  }
  return Refuse("a change for epoch " + std::to_string(change.epoch) + ", the group is at epoch " +
                std::to_string(current_.epoch));
}

bool GroupState::MayVouch(std::string_view account) const {
  return IsMember(account) && account != welcomer_.value_or("") &&
         std::find(newcomers_.begin(), newcomers_.end(), account) == newcomers_.end();
}

bool GroupState::IsMember(std::string_view account) const {
  return Find(current_, account) != nullptr;
}

bool GroupState::IsAdmin(std::string_view account) const {
  const GroupMember* m = Find(current_, account);
  return m != nullptr && m->admin;
}

}  // namespace candor::group
