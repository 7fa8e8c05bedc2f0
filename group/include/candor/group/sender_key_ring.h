// The sender keys one device holds for one group (DESIGN.md "Groups (Sender
// Keys)"): its own current key, and each member's keys, looked up by
// (sender, kid). The rules every member applies:
//  - a distribution is accepted only from its owner (the caller passes the
//    pairwise session's peer), only from a current member, only for this
//    group and an epoch at most one ahead, with a proof that the owner
//    holds its signing key (so no member can register another's key as its
//    own), and never with a kid or signing key already registered for
//    another member;
//  - a distribution that names the key it replaces ends that key at the
//    given iteration: a late message on it is accepted only below it;
//  - when members depart, every key of theirs is deleted (their messages
//    are refused from then on), and this device's own key is retired, so
//    the next send draws a new one and distributes it to the remaining
//    members only.
// Pure, as GroupState: the caller stores it and sends what it returns.
#ifndef CANDOR_GROUP_SENDER_KEY_RING_H_
#define CANDOR_GROUP_SENDER_KEY_RING_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"
#include "candor/group/group_state.h"
#include "candor/protocol/group_wire.h"

namespace candor::group {

class SenderKeyRing {
 public:
  explicit SenderKeyRing(crypto::GroupId group) : group_(group) {}

  // This device's key for the next send. When it has none (first send, or
  // after a departure) a new one is drawn; `distribution` is then set: the
  // SenderKeyDistribution to send to every current member before the
  // message (it names the key it replaces and where that key ended).
  struct SendingKey {
    crypto::OwnSenderKey* key;
    std::optional<protocol::SenderKeyDistribution> distribution;
  };
  // `self` / `identity`: this device's account and identity key, which the
  // distribution's ownership proof binds.
  // `membership`: this device's MembershipDigest of the epoch, carried in
  // the distribution (a welcomed member confirms its view with it).
  using Membership = std::optional<std::array<uint8_t, 32>>;
  Result<SendingKey> KeyForSending(uint32_t epoch, std::string_view self,
                                   const crypto::Ed25519PublicKey& identity,
                                   crypto::RandomSource& rng, Membership membership = std::nullopt);
  // The distribution of the current key at its current iteration, for a
  // member added since (it cannot derive earlier message keys from it).
  Result<std::optional<protocol::SenderKeyDistribution>> CurrentDistribution(
      uint32_t epoch, std::string_view self, const crypto::Ed25519PublicKey& identity,
      Membership membership = std::nullopt) const;

  // A distribution received over `from`'s pairwise session, whose peer
  // identity key is `from_identity`. kInvalidArgument for another group;
  // kBadSignature unless its ownership proof is `from`'s; kInvalidState,
  // naming the rule, for a non-member, or a kid or signing key another
  // member already uses.
  Result<void> Accept(const GroupState& group, std::string_view from,
                      const crypto::Ed25519PublicKey& from_identity,
                      const protocol::SenderKeyDistribution& distribution);

  // The key a group message from `sender` names (nullptr if none: unknown,
  // or deleted with its departed owner).
  const crypto::MemberSenderKey* Find(std::string_view sender, uint32_t kid) const;
  // Stores the successor a decryption returned (transactional receive).
  Result<void> Commit(std::string_view sender, crypto::MemberSenderKey next);

  // After a change: deletes every key of `departed`, and retires this
  // device's own key if anyone departed.
  void Depart(const std::vector<std::string>& departed);
  // A member's device changed (its identity key did): its keys go, and it
  // no longer holds this device's key (the next send gives it the current
  // one).
  void ForgetDevice(std::string_view member);

  bool has_own_key() const { return own_.has_value(); }
  size_t member_key_count() const { return members_.size(); }

  // Who was sent this device's current key. A member added since gets the
  // current distribution (CurrentDistribution) before this device's next
  // group message; a new key starts with nobody, and is sent to everyone.
  const std::set<std::string>& holders() const { return holders_; }
  void MarkHolders(const std::vector<std::string>& accounts);
  // The current members other than this device that do not hold its key.
  std::vector<std::string> MissingHolders(const GroupState& group) const;

  // What the store keeps: this device's part (its key, the retired one's
  // end, the holders) in one record, each member key in a row of its own.
  struct OwnPart {
    std::optional<crypto::OwnSenderKey> own;
    std::optional<std::pair<uint32_t, uint32_t>> retired;
    std::set<std::string> holders;
  };
  OwnPart CloneOwnPart() const;
  using MemberKeys = std::map<std::pair<std::string, uint32_t>, crypto::MemberSenderKey>;
  const MemberKeys& members() const { return members_; }
  const crypto::GroupId& group() const { return group_; }
  static SenderKeyRing Restore(crypto::GroupId group, OwnPart own, MemberKeys members);

 private:
  crypto::GroupId group_;
  std::optional<crypto::OwnSenderKey> own_;
  // The own key's id and the iteration it ended at, once retired: named in
  // the next distribution.
  std::optional<std::pair<uint32_t, uint32_t>> retired_;
  std::set<std::string> holders_;
  MemberKeys members_;
};

}  // namespace candor::group

#endif  // CANDOR_GROUP_SENDER_KEY_RING_H_
