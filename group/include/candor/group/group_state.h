// A group's membership as one member's device holds it, and the rules every
// member applies to a change (DESIGN.md "Groups (Sender Keys)"):
//  - changes come over the pairwise sessions, so their author is
//    authenticated by the caller (the pairwise session's peer);
//  - only admins add, remove, rename and make admins; a member leaves by
//    itself; the last admin cannot leave while others stay;
//  - a change creates epoch = current + 1 on top of the change that made the
//    current epoch (`previous_change`, its BLAKE2b-256);
//  - of concurrent valid changes for one epoch every member keeps the same
//    outcome, decided from the whole set (at most kMaxEpochCandidates)
//    whatever the arrival order: a change whose author another removes
//    drops out; of the rest, the one whose author ranks first by
//    BLAKE2b-256(previous change || author) wins, which no author steers by
//    what it writes in that epoch (DESIGN.md says "the smaller digest":
//    grindable, docs/groups.md); if all drop out (admins removing each
//    other), only their authors leave. A member that applied a loser rolls
//    it back, and its author is told (ChangeOutcome) so that it re-issues
//    its change on top;
//  - a change for any other epoch is refused (kInvalidState) and changes
//    nothing — a change is applied whole or not at all.
// Sans-I/O and pure: the caller sends the encodings Issue returns, stores
// the state, and acts on the outcome (new sender keys after a removal).
#ifndef CANDOR_GROUP_GROUP_STATE_H_
#define CANDOR_GROUP_GROUP_STATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"
#include "candor/protocol/group_wire.h"

namespace candor::group {

struct GroupMember {
  std::string account;
  bool admin;
  friend bool operator==(const GroupMember&, const GroupMember&) = default;
};

// One epoch of the group: what every member agrees on.
struct GroupSnapshot {
  crypto::GroupId id;
  uint32_t epoch;
  std::string name;
  Bytes avatar;
  std::vector<GroupMember> members;         // sorted by account
  protocol::GroupChangeDigest last_change;  // the change that made this epoch
  std::string last_author;
  friend bool operator==(const GroupSnapshot&, const GroupSnapshot&) = default;
};

struct ChangeOutcome {
  enum class Kind {
    kApplied,         // the group moved to the change's epoch
    kAlreadyApplied,  // the same change again: nothing to do
    kReplaced,        // it won the tie-break: the one applied before was rolled back
    kLostTieBreak,    // another change for its epoch won: not applied
  };
  Kind kind;
  // kReplaced / kLostTieBreak: the author whose change did not stand (to
  // tell, so it re-issues the change on top).
  std::optional<std::string> displaced_author;
  // Accounts no longer in the group after this change (removed, left, or
  // added by a change that was rolled back): the caller deletes their sender
  // keys. A non-empty `departed` means every remaining member draws a new
  // sender key before its next group send.
  std::vector<std::string> departed;
};

// Concurrent changes for one epoch a member keeps to decide between them.
// Honest concurrency stays far below it; only an admin flooding its own
// changes reaches it (and may then fork the group: docs/groups.md).
inline constexpr size_t kMaxEpochCandidates = 64;

class GroupState {
 public:
  // The creator's group (epoch 1, the creator its only admin) and the
  // encoded change to send to every member over the pairwise sessions.
  // kInvalidArgument if `members` names the creator; the change's rules
  // (protocol::EncodeGroupChange) otherwise.
  static Result<std::pair<GroupState, Bytes>> Create(std::string_view self,
                                                     const crypto::GroupId& id,
                                                     std::string_view name, ByteView avatar,
                                                     std::vector<std::string> members);
  // A member's group from the creator's change, received from `author`
  // (authenticated by the pairwise session). kInvalidArgument unless it is
  // a creation naming `self` as a member.
  static Result<GroupState> Join(std::string_view self, std::string_view author,
                                 ByteView change);

  // A member's group from a welcome (protocol::GroupWelcome) received from
  // `author`, the admin who added it: kInvalidArgument unless its add
  // names `self` and is by `author`; the codec's rules. The new member
  // cannot check the welcome's account of the group (it was not there), so
  // the state is unconfirmed (it sends nothing, issues no change but a
  // leave) until another member's sender key carries the same
  // MembershipDigest (Confirm) — unless nobody but the welcomer and the
  // members its add named is listed.
  static Result<GroupState> FromWelcome(std::string_view self, std::string_view author,
                                        ByteView welcome);
  // The welcome this device (an admin: kInvalidState otherwise) sends a
  // member it added by `add`, the change it just issued (the current
  // epoch's: kInvalidArgument otherwise).
  Result<Bytes> Welcome(ByteView add) const;
  // Who welcomed this device into the group, if it joined by a welcome.
  const std::optional<std::string>& welcomer() const { return welcomer_; }
  // Whether this device may send to the group and change it: it did not
  // join by a welcome; or a member other than the welcomer carried the same
  // view (Confirm); or the view lists nobody but the welcomer and the
  // members the welcome's add named (nobody else could vouch).
  bool confirmed() const { return !welcomer_ || vouched_ || alone_with_welcomer_; }
  // Whether another welcome may replace this view: one from a welcome that
  // no other member vouched for (changes the welcomer built on it do not
  // make it final).
  bool replaceable() const { return welcomer_.has_value() && !vouched_; }
  // Whether `account` can vouch for a welcomed view: a member listed in it
  // other than the welcomer and the newcomers the welcome's add named.
  bool MayVouch(std::string_view account) const;
  void Confirm() { vouched_ = true; }
  bool vouched() const { return vouched_; }
  bool alone_with_welcomer() const { return alone_with_welcomer_; }
  const std::vector<std::string>& newcomers() const { return newcomers_; }

  // The state as the store keeps it. Restore checks what the decoders of
  // the wire check (accounts, name, sizes, sorted members, the prior epoch
  // one below): kStorageFailed for a record that breaks them.
  struct Welcomed {
    std::string welcomer;
    bool vouched;
    bool alone_with_welcomer;
    std::vector<std::string> newcomers;  // the accounts the welcome's add named
  };
  static Result<GroupState> Restore(std::string self, GroupSnapshot current,
                                    std::optional<GroupSnapshot> prior,
                                    std::optional<Welcomed> welcomed,
                                    std::vector<Bytes> candidates);
  const std::optional<GroupSnapshot>& prior() const { return prior_; }
  const std::vector<Bytes>& candidates() const { return candidates_; }

  // A change by this device: checked as every member will check it,
  // applied here, and returned encoded for the other members (kLeave and
  // kRename take no accounts; kRename takes `name`).
  Result<Bytes> Issue(protocol::GroupChangeKind kind, std::vector<std::string> accounts,
                      std::string_view name = {});
  // A change received from `author`. kInvalidArgument for another group;
  // kInvalidState, naming the rule, for another epoch, a previous change
  // this device does not know, or a change its author may not make (not an
  // admin, a member added twice, the last admin leaving...): nothing
  // changes then.
  Result<ChangeOutcome> Apply(std::string_view author, ByteView change);

  const GroupSnapshot& current() const { return current_; }
  const std::string& self() const { return self_; }
  bool IsMember(std::string_view account) const;
  bool IsAdmin(std::string_view account) const;
  // Whether this device is still in the group (not removed, not left).
  bool active() const { return IsMember(self_); }

 private:
  GroupState(std::string self, GroupSnapshot current)
      : self_(std::move(self)), current_(std::move(current)) {}

  std::string self_;
  GroupSnapshot current_;
  // The epoch before current_, kept to roll back to if a concurrent change
  // for current_'s epoch wins the tie-break.
  std::optional<GroupSnapshot> prior_;
  std::optional<std::string> welcomer_;
  bool vouched_ = false;
  bool alone_with_welcomer_ = false;
  std::vector<std::string> newcomers_;
  // The changes received for current_'s epoch on top of prior_ (encoded,
  // at most kMaxEpochCandidates): current_ is what they resolve to.
  std::vector<Bytes> candidates_;
};

// BLAKE2b-256 of a member's view of one epoch: "candor/gmembers/v1" || G ||
// be32(epoch) || last change || lp(name) || lp(picture) || for each member
// (sorted) lp(account) || admin byte (lp: be16 length). Members compare
// views with it.
std::array<uint8_t, 32> MembershipDigest(const GroupSnapshot& snapshot);

// The snapshot `change` (by `author`) makes of `from`, or the rule it
// breaks (kInvalidState, nothing changes). Exposed for tests and fuzzing.
Result<GroupSnapshot> ApplyChange(const GroupSnapshot& from, std::string_view author,
                                  const protocol::GroupChange& change,
                                  const protocol::GroupChangeDigest& digest);

}  // namespace candor::group

#endif  // CANDOR_GROUP_GROUP_STATE_H_
