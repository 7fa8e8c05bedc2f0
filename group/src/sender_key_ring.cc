#include "candor/group/sender_key_ring.h"

#include <algorithm>

namespace candor::group {

Result<SenderKeyRing::SendingKey> SenderKeyRing::KeyForSending(
    uint32_t epoch, std::string_view self, const crypto::Ed25519PublicKey& identity,
    crypto::RandomSource& rng, Membership membership) {
  if (own_) return SendingKey{&*own_, std::nullopt};
  crypto::OwnSenderKey key = crypto::GenerateSenderKey(group_, rng);
  CANDOR_ASSIGN_OR_RETURN(auto proof, crypto::SignSenderKeyOwnership(key, self, identity, epoch));
  protocol::SenderKeyDistribution d{epoch,        key.chain.Clone(), key.signing.public_key(),
                                    std::nullopt, std::nullopt,      proof,
                                    membership};
  if (retired_) {
    d.previous_key_id = retired_->first;
    d.previous_final_iteration = retired_->second;
    retired_.reset();
  }
  own_.emplace(std::move(key));
  holders_.clear();
  return SendingKey{&*own_, std::move(d)};
}

Result<std::optional<protocol::SenderKeyDistribution>> SenderKeyRing::CurrentDistribution(
    uint32_t epoch, std::string_view self, const crypto::Ed25519PublicKey& identity,
    Membership membership) const {
  if (!own_) return std::optional<protocol::SenderKeyDistribution>();
  CANDOR_ASSIGN_OR_RETURN(auto proof, crypto::SignSenderKeyOwnership(*own_, self, identity, epoch));
  return std::optional<protocol::SenderKeyDistribution>(
      protocol::SenderKeyDistribution{epoch, own_->chain.Clone(), own_->signing.public_key(),
                                      std::nullopt, std::nullopt, proof, membership});
}

Result<void> SenderKeyRing::Accept(const GroupState& group, std::string_view from,
                                   const crypto::Ed25519PublicKey& from_identity,
                                   const protocol::SenderKeyDistribution& d) {
  if (d.chain.group != group_ || group.current().id != group_) {
    return Error(Errc::kInvalidArgument, "the sender key is for another group");
  }
  if (from == group.self()) return Error(Errc::kInvalidState, "a device's own key is not received");
  if (!group.IsMember(from)) {
    return Error(Errc::kInvalidState, std::string(from) + " is not a member of the group");
  }
  // A member who applied a change before this device may send its new key
  // before the change arrives here (they travel over different sessions):
  // one epoch ahead is accepted, further is not.
  if (d.epoch > uint64_t{group.current().epoch} + 1) {
    return Error(Errc::kInvalidState, "a sender key for an epoch this device has not reached");
  }
  CANDOR_RETURN_IF_ERROR(crypto::VerifySenderKeyOwnership(d.chain, d.signing_public, from,
                                                          from_identity, d.epoch, d.ownership));
  const std::pair<std::string, uint32_t> id{std::string(from), d.chain.kid};
  for (const auto& [owner, key] : members_) {
    const bool same_owner = owner.first == from;
    if (!same_owner && (owner.second == d.chain.kid || key.signing_public == d.signing_public)) {
      return Error(Errc::kInvalidState,
                   "that sender key id or signing key is another member's: refused");
    }
    if (same_owner && owner.second == d.chain.kid && !(key.signing_public == d.signing_public)) {
      return Error(Errc::kInvalidState, "a known sender key id with another signing key");
    }
  }
  if (d.previous_key_id) {
    auto prev = members_.find({std::string(from), *d.previous_key_id});
    if (prev != members_.end()) {
      auto& final_iteration = prev->second.final_iteration;
      final_iteration = final_iteration ? std::min(*final_iteration, *d.previous_final_iteration)
                                        : *d.previous_final_iteration;
    }
  }
  // The same key again (e.g. the distribution an added member gets, seen by
  // an old one) changes nothing: the stored chain knows its skipped keys.
  if (members_.contains(id)) return Ok();
  members_.emplace(id, crypto::MemberSenderKey{d.chain.Clone(), d.signing_public, std::nullopt, {}});
  return Ok();
}

const crypto::MemberSenderKey* SenderKeyRing::Find(std::string_view sender, uint32_t kid) const {
  auto it = members_.find({std::string(sender), kid});
  return it == members_.end() ? nullptr : &it->second;
}

Result<void> SenderKeyRing::Commit(std::string_view sender, crypto::MemberSenderKey next) {
  auto it = members_.find({std::string(sender), next.chain.kid});
  if (it == members_.end()) return Error(Errc::kNotFound, "no such sender key");
  it->second = std::move(next);
  return Ok();
}

void SenderKeyRing::Depart(const std::vector<std::string>& departed) {
  if (departed.empty()) return;
  std::erase_if(members_, [&](const auto& entry) {
    return std::find(departed.begin(), departed.end(), entry.first.first) != departed.end();
  });
  if (own_) {
    retired_ = std::pair<uint32_t, uint32_t>(own_->chain.kid, own_->chain.iteration);
    own_.reset();
  }
  holders_.clear();
}

void SenderKeyRing::ForgetDevice(std::string_view member) {
  std::erase_if(members_, [&](const auto& entry) { return entry.first.first == member; });
  holders_.erase(std::string(member));
}

void SenderKeyRing::MarkHolders(const std::vector<std::string>& accounts) {
  holders_.insert(accounts.begin(), accounts.end());
}

std::vector<std::string> SenderKeyRing::MissingHolders(const GroupState& group) const {
  std::vector<std::string> out;
  for (const GroupMember& m : group.current().members) {
    if (m.account != group.self() && !holders_.contains(m.account)) out.push_back(m.account);
  }
  return out;
}

SenderKeyRing::OwnPart SenderKeyRing::CloneOwnPart() const {
  OwnPart part{std::nullopt, retired_, holders_};
  if (own_) part.own = own_->Clone();
  return part;
}

SenderKeyRing SenderKeyRing::Restore(crypto::GroupId group, OwnPart own, MemberKeys members) {
  SenderKeyRing ring(group);
  ring.own_ = std::move(own.own);
  ring.retired_ = own.retired;
  ring.holders_ = std::move(own.holders);
  ring.members_ = std::move(members);
  return ring;
}

}  // namespace candor::group
