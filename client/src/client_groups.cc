// Client's groups (docs/groups.md): membership changes and sender keys over
// the pairwise sessions, group messages in one group envelope, and the
// group layer's part of a receive. Each operation loads the group, changes
// it in memory (group::GroupState, group::SenderKeyRing: pure), and commits
// the group, the pairwise sessions it sent over and the history in one
// synced transaction before anything is handed out.
#include <algorithm>
#include <memory>
#include <set>

#include "candor/crypto/encoding.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/x3dh.h"
#include "candor/group/group_message.h"
#include "candor/group/sender_key_ring.h"
#include "candor/protocol/json.h"
#include "candor/protocol/wire.h"
#include "client_state.h"

namespace candor::client {

using protocol::GroupChangeKind;
using StoredGroup = storage::Store::StoredGroup;

namespace {

Error NoGroup() { return Error(Errc::kNotFound, "no such group on this device"); }

GroupInfo InfoOf(const group::GroupState& s) {
  return GroupInfo{s.current().id, s.current().name, s.current().epoch, s.current().members,
                   s.active()};
}

std::vector<std::string> Accounts(const group::GroupSnapshot& s) {
  std::vector<std::string> out;
  for (const group::GroupMember& m : s.members) out.push_back(m.account);
  return out;
}

// Accounts in `a` and not in `b` (both sorted).
std::vector<std::string> Minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Every account whose keys the ring holds.
std::vector<std::string> KeyOwners(const group::SenderKeyRing& ring) {
  std::set<std::string> owners;
  for (const auto& [id, key] : ring.members()) owners.insert(id.first);
  return {owners.begin(), owners.end()};
}

// After a change: the departed members' keys go, and this device's own key
// is retired; a device that is out of the group keeps no key at all.
std::vector<std::string> ForgetDeparted(const group::GroupState& state, group::SenderKeyRing& ring,
                                        std::vector<std::string> departed) {
  if (!state.active()) departed = KeyOwners(ring), departed.push_back(state.self());
  ring.Depart(departed);
  return departed;
}

// The group, for an operation of a member: kNotFound, or kInvalidState once
// this device is out of it.
Result<std::optional<StoredGroup>> LoadActiveGroup(
    storage::Store& store, const crypto::GroupId& id,
    storage::Store::MemberKeys member_keys = storage::Store::MemberKeys::kAll) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<StoredGroup> g, store.LoadGroup(id, member_keys));
  if (!g) return NoGroup();
  if (!g->state.active()) {
    return Error(Errc::kInvalidState, "this device is no longer a member of the group");
  }
  return g;
}

}  // namespace

std::string GroupIdToHex(const crypto::GroupId& id) { return ToHex(id); }

Result<crypto::GroupId> GroupIdFromHex(std::string_view hex) {
  auto bytes = FromHex(hex);
  if (!bytes.has_value() || bytes->size() != crypto::kGroupIdBytes) {
    return Error(Errc::kInvalidArgument, "a group id is 64 hex digits");
  }
  crypto::GroupId id;
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

std::string GroupsToJson(const std::vector<GroupInfo>& groups) {
  std::vector<std::string> list;
  for (const GroupInfo& g : groups) {
    std::vector<std::string> members;
    for (const group::GroupMember& m : g.members) {
      members.push_back(
          protocol::JsonObject().Str("account", m.account).Bool("admin", m.admin).Finish());
    }
    list.push_back(protocol::JsonObject()
                       .Str("id", GroupIdToHex(g.id))
                       .Str("name", g.name)
                       .UInt("epoch", g.epoch)
                       .Bool("active", g.active)
                       .Raw("members", protocol::JsonArray(members))
                       .Finish());
  }
  return protocol::JsonObject().Raw("groups", protocol::JsonArray(list)).Finish();
}

Result<void> Client::SendControl(const std::vector<std::string>& peers,
                                 const protocol::CheckedGroupControl& control,
                                 const Bundles& bundles, Outgoing& out) {
  for (const std::string& peer : peers) {
    CANDOR_ASSIGN_OR_RETURN(auto sent, SendControlTo(peer, control, bundles));
    out.push_back(std::move(sent));
  }
  return Ok();
}

std::vector<OutgoingItem> Client::HandAll(Outgoing out) {
  std::vector<OutgoingItem> items;
  for (auto& [record, bytes] : out) items.push_back(Hand(std::move(record), std::move(bytes)));
  return items;
}

Result<std::pair<protocol::EgressRecord, Bytes>> Client::SendControlTo(
    std::string_view peer, const protocol::CheckedGroupControl& control, const Bundles& bundles) {
  std::optional<crypto::PrekeyBundle> bundle;
  if (auto it = bundles.find(peer); it != bundles.end()) {
    CANDOR_ASSIGN_OR_RETURN(bundle, protocol::DecodePrekeyBundle(it->second));
    if (bundle->account != peer) {
      return Error(Errc::kWrongPeer, "the bundle given for " + std::string(peer) +
                                         " is for another account");
    }
  }
  bool identity_changed = false;
  auto session = SendingSession(peer, bundle, identity_changed);
  if (!session.has_value()) {
    return Error(session.error().code(), std::string(peer) + ": " + session.error().message());
  }
  if (!*session) {
    return Error(Errc::kIdentityChanged,
                 std::string(peer) + "'s bundle carries a new identity key: nothing was sent to "
                                     "the group; the user accepts (or verifies) it first");
  }
  CANDOR_ASSIGN_OR_RETURN(protocol::OutgoingMessage out,
                          (*session)->EncryptGroupControl(control, state_->rng));
  CANDOR_ASSIGN_OR_RETURN(protocol::EgressRecord record,
                          protocol::CheckEgress(Channel::kRelay, protocol::kEnvelopeType,
                                                out.envelope));
  CANDOR_RETURN_IF_ERROR(state_->store.CommitSent(**session, out, state_->clock.NowSeconds()));
  return std::pair<protocol::EgressRecord, Bytes>(std::move(record), std::move(out.envelope));
}

Result<GroupOperation> Client::CreateGroup(std::string_view name, ByteView avatar,
                                           std::vector<std::string> members,
                                           const Bundles& bundles) {
  CANDOR_RETURN_IF_ERROR(RecordBundleIdentityChanges(bundles, members));
  crypto::GroupId id;
  state_->rng.Fill(id);
  GroupOperation op{id, 0, {}, std::nullopt};
  Outgoing sent;
  auto& store = state_->store;
  const Result<void> committed = store.InTransaction(
      [&]() -> Result<void> {
        CANDOR_ASSIGN_OR_RETURN(auto created, group::GroupState::Create(account(), id, name, avatar,
                                                                        std::move(members)));
        const group::SenderKeyRing ring(id);
        CANDOR_RETURN_IF_ERROR(store.SaveGroup(created.first, ring, {}, state_->clock.NowSeconds()));
        CANDOR_ASSIGN_OR_RETURN(auto control, protocol::CheckedGroupControl::From(created.second));
        std::vector<std::string> others = Accounts(created.first.current());
        std::erase(others, account());
        return SendControl(others, control, bundles, sent);
      },
      protocol::Durability::kSynced);
  CANDOR_RETURN_IF_ERROR(committed);
  op.envelopes = HandAll(std::move(sent));
  return op;
}

Result<GroupOperation> Client::IssueGroupChange(const crypto::GroupId& id, GroupChangeKind kind,
                                                std::vector<std::string> accounts,
                                                std::string_view name, const Bundles& bundles) {
  {
    std::vector<std::string> recipients = accounts;
    if (auto g = state_->store.LoadGroup(id, storage::Store::MemberKeys::kNone);
        g.has_value() && *g) {
      const auto current = Accounts((*g)->state.current());
      recipients.insert(recipients.end(), current.begin(), current.end());
    }
    CANDOR_RETURN_IF_ERROR(RecordBundleIdentityChanges(bundles, recipients));
  }
  GroupOperation op{id, 0, {}, std::nullopt};
  Outgoing sent;
  auto& store = state_->store;
  const Result<void> committed = store.InTransaction(
      [&]() -> Result<void> {
        CANDOR_ASSIGN_OR_RETURN(std::optional<StoredGroup> g, LoadActiveGroup(store, id));
        const std::vector<std::string> before = Accounts(g->state.current());
        CANDOR_ASSIGN_OR_RETURN(Bytes change, g->state.Issue(kind, std::move(accounts), name));
        const std::vector<std::string> after = Accounts(g->state.current());
        const std::vector<std::string> added = Minus(after, before);
        const std::vector<std::string> departed =
            ForgetDeparted(g->state, g->ring, Minus(before, after));
        CANDOR_RETURN_IF_ERROR(
            store.SaveGroup(g->state, g->ring, departed, state_->clock.NowSeconds()));
        // The change goes to every member it concerns but the added ones:
        // the members before it (the removed and a leaving device's peers
        // learn of it too); an added member gets the group as it is now.
        CANDOR_ASSIGN_OR_RETURN(auto control, protocol::CheckedGroupControl::From(change));
        // Remaining members must all get it (a member left out would fork);
        // a departing account is told when it can be, else skipped.
        std::vector<std::string> remaining = Minus(before, departed);
        std::erase(remaining, account());
        CANDOR_RETURN_IF_ERROR(SendControl(remaining, control, bundles, sent));
        for (const std::string& gone : departed) {
          if (gone == account()) continue;
          auto told = SendControlTo(gone, control, bundles);
          if (told.has_value()) sent.push_back(std::move(*told));
        }
        if (added.empty()) return Ok();
        CANDOR_ASSIGN_OR_RETURN(Bytes welcome, g->state.Welcome(change));
        CANDOR_ASSIGN_OR_RETURN(auto welcome_control, protocol::CheckedGroupControl::From(welcome));
        return SendControl(added, welcome_control, bundles, sent);
      },
      protocol::Durability::kSynced);
  CANDOR_RETURN_IF_ERROR(committed);
  op.envelopes = HandAll(std::move(sent));
  return op;
}

Result<GroupOperation> Client::AddGroupMembers(const crypto::GroupId& group,
                                               std::vector<std::string> accounts,
                                               const Bundles& bundles) {
  return IssueGroupChange(group, GroupChangeKind::kAdd, std::move(accounts), {}, bundles);
}
Result<GroupOperation> Client::RemoveGroupMembers(const crypto::GroupId& group,
                                                  std::vector<std::string> accounts,
                                                  const Bundles& bundles) {
  return IssueGroupChange(group, GroupChangeKind::kRemove, std::move(accounts), {}, bundles);
}
Result<GroupOperation> Client::RenameGroup(const crypto::GroupId& group, std::string_view name,
                                           const Bundles& bundles) {
  return IssueGroupChange(group, GroupChangeKind::kRename, {}, name, bundles);
}
Result<GroupOperation> Client::MakeGroupAdmins(const crypto::GroupId& group,
                                               std::vector<std::string> accounts,
                                               const Bundles& bundles) {
  return IssueGroupChange(group, GroupChangeKind::kMakeAdmin, std::move(accounts), {}, bundles);
}
Result<GroupOperation> Client::LeaveGroup(const crypto::GroupId& group, const Bundles& bundles) {
  return IssueGroupChange(group, GroupChangeKind::kLeave, {}, {}, bundles);
}

Result<void> Client::RecordBundleIdentityChanges(const Bundles& bundles,
                                                 const std::vector<std::string>& recipients) {
  std::vector<std::string> changed;
  auto& store = state_->store;
  const Result<void> recorded = store.InTransaction([&]() -> Result<void> {
    for (const auto& [account, bytes] : bundles) {
      // Only the accounts the operation sends to: a stray bundle must not
      // mark an unrelated contact as changed.
      if (std::find(recipients.begin(), recipients.end(), account) == recipients.end()) continue;
      auto bundle = protocol::DecodePrekeyBundle(bytes);
      if (!bundle.has_value() || bundle->account != account) continue;  // refused when used
      CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                              protocol::TrustedIdentity(store, account));
      if (!known || known->pending || bundle->identity_key == known->identity_key) continue;
      // Held as a pending change only if the bundle is the new key's own.
      if (!crypto::VerifyPrekeyBundle(*bundle).has_value()) continue;
      CANDOR_RETURN_IF_ERROR(store.TrustFirstIdentity(account, known->identity_key));
      CANDOR_RETURN_IF_ERROR(store.RecordIdentityChange(account, bundle->identity_key,
                                                        state_->clock.NowSeconds(), std::nullopt));
      changed.push_back(account);
    }
    return Ok();
  });
  CANDOR_RETURN_IF_ERROR(recorded);
  for (const std::string& peer : changed) NotifyIdentityChange(peer);
  return Ok();
}

Result<void> Client::ForgetGroupDevice(std::string_view peer) {
  auto& store = state_->store;
  CANDOR_ASSIGN_OR_RETURN(auto states, store.ListGroups());
  for (const group::GroupState& listed : states) {
    if (!listed.IsMember(peer)) continue;
    CANDOR_ASSIGN_OR_RETURN(std::optional<StoredGroup> g, store.LoadGroup(listed.current().id));
    if (!g) continue;
    g->ring.ForgetDevice(peer);
    CANDOR_RETURN_IF_ERROR(
        store.SaveGroup(g->state, g->ring, {std::string(peer)}, state_->clock.NowSeconds()));
  }
  return Ok();
}

Result<GroupOperation> Client::SendGroup(const crypto::GroupId& id, std::string_view text,
                                         const Bundles& bundles) {
  CANDOR_ASSIGN_OR_RETURN(Bytes content, protocol::EncodeContent(text));
  return SendGroupContent(id, content, bundles);
}

Result<GroupOperation> Client::SendGroupContent(const crypto::GroupId& id, const Bytes& content,
                                                const Bundles& bundles) {
  if (auto g = state_->store.LoadGroup(id, storage::Store::MemberKeys::kNone); g.has_value() && *g) {
    CANDOR_RETURN_IF_ERROR(RecordBundleIdentityChanges(bundles, Accounts((*g)->state.current())));
  }
  GroupOperation op{id, 0, {}, std::nullopt};
  Outgoing sent;
  auto& store = state_->store;
  const crypto::Ed25519PublicKey& self_key = identity_key();
  protocol::EgressRecord group_record;
  Bytes group_envelope;
  const Result<void> committed = store.InTransaction(
      [&]() -> Result<void> {
        // A send touches this device's key only: no member key is loaded.
        CANDOR_ASSIGN_OR_RETURN(std::optional<StoredGroup> g,
                                LoadActiveGroup(store, id, storage::Store::MemberKeys::kNone));
        if (!g->state.confirmed()) {
          return Error(Errc::kInvalidState,
                       "this device's view of the group (from " + *g->state.welcomer() +
                           "'s welcome) is not confirmed by another member yet: nothing is sent "
                           "until one's sender key carries the same view");
        }
        std::vector<std::string> others = Accounts(g->state.current());
        std::erase(others, account());
        if (others.empty()) return Error(Errc::kInvalidState, "the group has no other member");
        const uint32_t epoch = g->state.current().epoch;
        const auto membership = group::MembershipDigest(g->state.current());
        CANDOR_ASSIGN_OR_RETURN(auto sending, g->ring.KeyForSending(epoch, account(), self_key,
                                                                    state_->rng, membership));
        // Who needs this device's key before the message: everyone for a
        // new key, else the members added since (the key as it is now).
        std::optional<protocol::SenderKeyDistribution> d = std::move(sending.distribution);
        std::vector<std::string> to = d ? others : g->ring.MissingHolders(g->state);
        if (!d && !to.empty()) {
          CANDOR_ASSIGN_OR_RETURN(
              d, g->ring.CurrentDistribution(epoch, account(), self_key, membership));
        }
        if (d && !to.empty()) {
          CANDOR_ASSIGN_OR_RETURN(SecretBytes encoded, protocol::EncodeSenderKeyDistribution(*d));
          CANDOR_ASSIGN_OR_RETURN(auto control,
                                  protocol::CheckedGroupControl::From(encoded.Expose()));
          CANDOR_RETURN_IF_ERROR(SendControl(to, control, bundles, sent));
          g->ring.MarkHolders(to);
        }
        CANDOR_ASSIGN_OR_RETURN(group::OutgoingGroupMessage out,
                                group::EncryptGroupContent(*sending.key, self_key, account(),
                                                           Bytes(content), state_->rng));
        CANDOR_ASSIGN_OR_RETURN(Bytes payload, protocol::EncodeGroupMessage(out.message));
        CANDOR_ASSIGN_OR_RETURN(Bytes envelope,
                                protocol::EncodeGroupEnvelope(protocol::GroupEnvelope{
                                    account(), others, out.franking_commitment, payload}));
        CANDOR_ASSIGN_OR_RETURN(auto record,
                                protocol::CheckEgress(Channel::kRelay,
                                                      protocol::kGroupEnvelopeType, envelope));
        CANDOR_ASSIGN_OR_RETURN(op.message_id, store.CommitGroupSent(g->state, g->ring, out,
                                                                     state_->clock.NowSeconds()));
        group_record = std::move(record);
        group_envelope = std::move(envelope);
        return Ok();
      },
      protocol::Durability::kSynced);
  CANDOR_RETURN_IF_ERROR(committed);
  op.envelopes = HandAll(std::move(sent));
  op.group_envelope = Hand(std::move(group_record), std::move(group_envelope));
  return op;
}

Result<std::vector<GroupInfo>> Client::Groups() {
  CANDOR_ASSIGN_OR_RETURN(auto states, state_->store.ListGroups());
  std::vector<GroupInfo> out;
  for (const group::GroupState& s : states) out.push_back(InfoOf(s));
  return out;
}

Result<GroupInfo> Client::Group(const crypto::GroupId& id) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<StoredGroup> g,
                          state_->store.LoadGroup(id, storage::Store::MemberKeys::kNone));
  if (!g) return NoGroup();
  return InfoOf(g->state);
}

Result<std::vector<HistoryEntry>> Client::GroupHistory(const crypto::GroupId& id, size_t limit) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<StoredGroup> g,
                          state_->store.LoadGroup(id, storage::Store::MemberKeys::kNone));
  if (!g) return NoGroup();
  return History(storage::Store::GroupConversation(id), limit);
}

protocol::GroupReceiveHooks Client::GroupHooks() {
  using Writes = std::function<Result<ReceivedMessage>()>;
  protocol::GroupReceiveHooks hooks;
  auto& store = state_->store;
  hooks.control = [this, &store](const protocol::IncomingMessage& in,
                                 const crypto::Ed25519PublicKey& from_identity,
                                 uint64_t now) -> Result<Writes> {
    const std::string& from = in.sender;
    // Shared: the writes run later, and a std::function must be copyable.
    auto g = std::make_shared<std::optional<StoredGroup>>();
    std::vector<std::string> senders;
    std::string event;
    switch (protocol::GroupControlKindOf(in.content).value_or(protocol::GroupControlKind::kChange)) {
      case protocol::GroupControlKind::kChange: {
        CANDOR_ASSIGN_OR_RETURN(protocol::GroupChange change, protocol::DecodeGroupChange(in.content));
        CANDOR_ASSIGN_OR_RETURN(*g, store.LoadGroup(change.group));
        if (!*g) {
          if (change.kind != GroupChangeKind::kCreate) {
            return Error(Errc::kInvalidState,
                         "a change for a group this device does not know: refused");
          }
          CANDOR_ASSIGN_OR_RETURN(group::GroupState joined,
                                  group::GroupState::Join(account(), from, in.content));
          g->emplace(StoredGroup{std::move(joined), group::SenderKeyRing(change.group)});
          event = "joined";
          break;
        }
        // Out of the group, a device still takes a concurrent change for
        // the epoch that put it out: the set may decide it stays (its
        // removal or leave displaced), and then it must not be a ghost.
        if (!(*g)->state.active() && change.epoch != (*g)->state.current().epoch) {
          return Error(Errc::kInvalidState, "a change for a group this device is no longer in");
        }
        CANDOR_ASSIGN_OR_RETURN(group::ChangeOutcome outcome, (*g)->state.Apply(from, in.content));
        senders = ForgetDeparted((*g)->state, (*g)->ring, std::move(outcome.departed));
        switch (outcome.kind) {
          case group::ChangeOutcome::Kind::kApplied:
            event = (*g)->state.active() ? "changed" : "removed";
            break;
          case group::ChangeOutcome::Kind::kReplaced:
            // This device's own change lost the tie-break: the embedder
            // issues it again on top (it is no longer in force).
            event = !(*g)->state.active()                  ? "removed"
                    : outcome.displaced_author == account() ? "displaced"
                                                            : "changed";
            break;
          case group::ChangeOutcome::Kind::kAlreadyApplied: event = "already_applied"; break;
          case group::ChangeOutcome::Kind::kLostTieBreak: event = "lost_tie_break"; break;
        }
        break;
      }
      case protocol::GroupControlKind::kWelcome: {
        CANDOR_ASSIGN_OR_RETURN(protocol::GroupWelcome w, protocol::DecodeGroupWelcome(in.content));
        CANDOR_ASSIGN_OR_RETURN(*g, store.LoadGroup(w.group));
        CANDOR_ASSIGN_OR_RETURN(group::GroupState joined,
                                group::GroupState::FromWelcome(account(), from, in.content));
        if (!*g) {
          g->emplace(StoredGroup{std::move(joined), group::SenderKeyRing(w.group)});
        } else if ((*g)->state.active() && !(*g)->state.replaceable() &&
                   !((*g)->state.IsAdmin(from) && w.epoch > (*g)->state.current().epoch)) {
          // A later welcome from an admin of this view is let in: its add
          // may have lost a tie-break after this view was vouched for.
          return Error(Errc::kInvalidState, "a welcome to a group this device is in: refused");
        } else if ((*g)->state.active()) {
          // The view a first welcome gave was never confirmed by another
          // member (it may have been a member's forgery racing the admin's
          // welcome): a later welcome replaces it, and it too waits for
          // confirmation. Keys of accounts it does not list go.
          const std::vector<std::string> gone =
              Minus(Accounts((*g)->state.current()), Accounts(joined.current()));
          (*g)->ring.Depart(gone);
          senders = gone;
          (*g)->state = std::move(joined);
        } else {
          // Re-added after leaving or a removal: only an admin of the group
          // as this device last knew it may say so, and nothing of the old
          // membership's keys stays.
          if (!(*g)->state.IsAdmin(from)) {
            return Error(Errc::kInvalidState, "a welcome back into a group from " + from +
                                                  ", who was no admin of it: refused");
          }
          senders = KeyOwners((*g)->ring);
          *g = StoredGroup{std::move(joined), group::SenderKeyRing(w.group)};
        }
        event = "joined";
        break;
      }
      case protocol::GroupControlKind::kSenderKeyDistribution: {
        CANDOR_ASSIGN_OR_RETURN(protocol::SenderKeyDistribution d,
                                protocol::DecodeSenderKeyDistribution(in.content));
        CANDOR_ASSIGN_OR_RETURN(*g, store.LoadGroup(d.chain.group));
        if (!*g) return Error(Errc::kInvalidState, "a sender key for a group this device does not know");
        group::GroupState& state = (*g)->state;
        if (!state.active()) {
          return Error(Errc::kInvalidState, "a sender key for a group this device is no longer in");
        }
        CANDOR_RETURN_IF_ERROR((*g)->ring.Accept(state, from, from_identity, d));
        senders = {from};
        event = "sender_key";
        // A welcomed view is vouched for by another member's key carrying
        // the same view — of this epoch, or of the one before (its key may
        // have been made before the last change reached this device) — and
        // disputed by one carrying another view of this epoch.
        // Only a member the welcome did not bring in can vouch; another
        // view is reported (view_differs) but changes nothing: a dispute
        // any member could raise would let it lock others out.
        if (state.welcomer() && state.MayVouch(from) && d.membership) {
          const auto& prior = state.prior();
          const bool same =
              (d.epoch == state.current().epoch &&
               *d.membership == group::MembershipDigest(state.current())) ||
              (prior && d.epoch == prior->epoch && *d.membership == group::MembershipDigest(*prior));
          if (same && !state.vouched()) {
            state.Confirm();
            event = "confirmed";
          } else if (!same && d.epoch == state.current().epoch) {
            event = "view_differs";
          }
        }
        break;
      }
    }
    Writes writes = [&store, g, senders, event, now]() -> Result<ReceivedMessage> {
      CANDOR_RETURN_IF_ERROR(store.SaveGroup((*g)->state, (*g)->ring, senders, now));
      return ReceivedMessage{0, {}, {}, 0, (*g)->state.current().id, event};
    };
    return writes;
  };
  hooks.message = [this, &store](const protocol::Delivery& delivery,
                                 uint64_t now) -> Result<ReceivedMessage> {
    const protocol::Envelope& env = delivery.envelope;
    if (env.recipient != account()) {
      return Error(Errc::kWrongPeer, "the delivery is addressed to another account");
    }
    const protocol::EnvelopeDigest digest = protocol::DigestEnvelope(delivery.envelope_bytes);
    CANDOR_ASSIGN_OR_RETURN(bool seen, store.HasReceived(digest));
    if (seen) return Error(Errc::kDuplicateMessage, "envelope already received");
    CANDOR_ASSIGN_OR_RETURN(Bytes sealed, protocol::DecodeGroupMessage(env.payload));
    CANDOR_ASSIGN_OR_RETURN(uint32_t kid, crypto::GroupMessageKid(sealed));
    CANDOR_ASSIGN_OR_RETURN(auto candidates, store.FindGroupKeys(env.sender, kid));
    if (candidates.empty()) {
      return Error(Errc::kInvalidState,
                   "no sender key of " + env.sender +
                       " with that id: not a member of a group with this device, removed, or "
                       "its key has not arrived");
    }
    CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::PeerIdentity> known,
                            protocol::TrustedIdentity(store, env.sender));
    if (!known) return Error(Errc::kInvalidState, "no identity key known for " + env.sender);
    Result<group::IncomingGroupMessage> in = Error(Errc::kInternal, "no candidate");
    const crypto::GroupId* group = nullptr;
    for (const auto& [id, key] : candidates) {
      in = group::DecryptGroupText(key, known->identity_key, env.sender,
                                   env.franking_commitment, sealed, now);
      if (in.has_value()) {
        group = &id;
        break;
      }
    }
    if (!in.has_value()) return in.error();
    protocol::IncomingMessage stored;
    stored.sender = env.sender;
    stored.recipient = env.recipient;
    stored.content = std::move(in->content);
    stored.franking_key = std::move(in->franking_key);
    stored.franking_commitment = env.franking_commitment;
    stored.server_time = delivery.server_time;
    stored.relay_tag = delivery.relay_tag;
    CANDOR_ASSIGN_OR_RETURN(int64_t message_id,
                            store.CommitGroupReceived(*group, env.sender, in->next, stored, digest,
                                                      now));
    return ReceivedMessage{message_id, env.sender, std::move(in->text), delivery.server_time,
                           *group, {}, protocol::DescribeAttachments(stored.content)};
  };
  return hooks;
}

}  // namespace candor::client
