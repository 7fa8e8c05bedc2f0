#include "group_fuzzers.h"

#include <algorithm>
#include <optional>

#include "candor/crypto/limits.h"
#include "candor/group/group_message.h"
#include "candor/group/group_record.h"
#include "candor/group/sender_key_ring.h"
#include "candor/group/group_state.h"
#include "candor/protocol/group_wire.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/wire.h"
#include "fuzz_check.h"

namespace candor::fuzz {
namespace {

constexpr uint64_t kNow = 1'750'000'000;

// alice (admin), bob (admin) and carol; alice's sender key, as bob holds it.
struct FixedGroup {
  std::optional<group::GroupState> state;
  std::optional<crypto::OwnSenderKey> alice_key;
  std::optional<crypto::MemberSenderKey> bob_copy;
  crypto::Ed25519KeyPair alice_identity;
  std::vector<Bytes> changes;  // real encodings, for seeds

  FixedGroup() : alice_identity(crypto::Ed25519KeyPair::Generate(Rng())) {
    crypto::GroupId id{};
    Rng().Fill(id);
    auto created = group::GroupState::Create("alice", id, "fuzz", Bytes{7}, {"bob", "carol"});
    CANDOR_FUZZ_CHECK(created.has_value());
    state.emplace(std::move(created->first));
    changes.push_back(std::move(created->second));
    auto admin = state->Issue(protocol::GroupChangeKind::kMakeAdmin, {"bob"});
    CANDOR_FUZZ_CHECK(admin.has_value());
    changes.push_back(*admin);
    alice_key.emplace(crypto::GenerateSenderKey(id, Rng()));
    bob_copy.emplace(crypto::MemberSenderKey{alice_key->chain.Clone(),
                                             alice_key->signing.public_key(), std::nullopt, {}});
  }
  static crypto::InsecureDeterministicRandom& Rng() {
    static crypto::InsecureDeterministicRandom rng(12);
    return rng;
  }
};

FixedGroup& Fixed() {
  static FixedGroup f;
  return f;
}

}  // namespace

std::vector<std::vector<uint8_t>> GroupControlSeeds() {
  FixedGroup& f = Fixed();
  std::vector<std::vector<uint8_t>> seeds(f.changes.begin(), f.changes.end());
  group::GroupState s = *f.state;
  std::optional<Bytes> welcome;
  for (auto kind : {protocol::GroupChangeKind::kAdd, protocol::GroupChangeKind::kRemove}) {
    auto c = s.Issue(kind, {kind == protocol::GroupChangeKind::kAdd ? "dave" : "carol"});
    CANDOR_FUZZ_CHECK(c.has_value());
    seeds.push_back(*c);
    if (kind == protocol::GroupChangeKind::kAdd) {
      auto w = s.Welcome(*c);
      CANDOR_FUZZ_CHECK(w.has_value());
      welcome = *w;
    }
  }
  auto rename = s.Issue(protocol::GroupChangeKind::kRename, {}, "renamed");
  CANDOR_FUZZ_CHECK(rename.has_value());
  seeds.push_back(*rename);
  auto proof = crypto::SignSenderKeyOwnership(*f.alice_key, "alice",
                                              f.alice_identity.public_key(), 2);
  CANDOR_FUZZ_CHECK(proof.has_value());
  auto distribution = protocol::EncodeSenderKeyDistribution(protocol::SenderKeyDistribution{
      2, f.alice_key->chain.Clone(), f.alice_key->signing.public_key(), 5, 9, *proof});
  CANDOR_FUZZ_CHECK(distribution.has_value());
  seeds.emplace_back(distribution->Expose().begin(), distribution->Expose().end());
  seeds.push_back(*welcome);
  return seeds;
}

void FuzzGroupRecord(const uint8_t* data, size_t size) {
  if (size < 1) return;
  const ByteView input(data + 1, size - 1);
  const crypto::GroupId& id = Fixed().state->current().id;
  // The first byte picks the record; what parses serializes to a record
  // that parses to the same value.
  switch (data[0] % 3) {
    case 0: {
      auto state = group::ParseGroupState(input);
      if (!state) return;
      auto again = group::ParseGroupState(group::SerializeGroupState(*state));
      CANDOR_FUZZ_CHECK(again.has_value() && again->current() == state->current() &&
                        again->prior() == state->prior() && again->self() == state->self());
      break;
    }
    case 1: {
      auto own = group::ParseOwnPart(input, id);
      if (!own) return;
      auto again = group::ParseOwnPart(group::SerializeOwnPart(*own).Expose(), id);
      CANDOR_FUZZ_CHECK(again.has_value() && again->holders == own->holders &&
                        again->retired == own->retired &&
                        again->own.has_value() == own->own.has_value());
      break;
    }
    default: {
      auto key = group::ParseMemberKey(input, id);
      if (!key) return;
      CANDOR_FUZZ_CHECK(key->chain.group == id);
      auto again = group::ParseMemberKey(group::SerializeMemberKey(*key).Expose(), id);
      CANDOR_FUZZ_CHECK(again.has_value() && again->chain.kid == key->chain.kid &&
                        again->skipped.size() == key->skipped.size());
      break;
    }
  }
}

std::vector<std::vector<uint8_t>> GroupRecordSeeds() {
  FixedGroup& f = Fixed();
  std::vector<std::vector<uint8_t>> seeds;
  auto with = [&](uint8_t kind, ByteView record) {
    std::vector<uint8_t> seed{kind};
    seed.insert(seed.end(), record.begin(), record.end());
    seeds.push_back(std::move(seed));
  };
  with(0, group::SerializeGroupState(*f.state));
  group::SenderKeyRing ring(f.state->current().id);
  auto sending = ring.KeyForSending(2, "alice", f.alice_identity.public_key(), FixedGroup::Rng());
  CANDOR_FUZZ_CHECK(sending.has_value());
  ring.MarkHolders({"bob", "carol"});
  with(1, group::SerializeOwnPart(ring.CloneOwnPart()).Expose());
  crypto::MemberSenderKey skipped = f.bob_copy->Clone();
  skipped.chain.iteration = 3;
  skipped.skipped.Add(skipped.chain.header_key, 1, SecretArray<32>(), kNow);
  with(2, group::SerializeMemberKey(*f.bob_copy).Expose());
  with(2, group::SerializeMemberKey(skipped).Expose());
  return seeds;
}

std::vector<std::vector<uint8_t>> GroupMessageSeeds() {
  FixedGroup& f = Fixed();
  crypto::OwnSenderKey key = f.alice_key->Clone();  // the fixed key stays at n = 0
  crypto::InsecureDeterministicRandom rng(13);
  std::vector<std::vector<uint8_t>> seeds;
  for (const char* text : {"first", "second", "a third, longer group message"}) {
    auto out = group::EncryptGroupText(key, f.alice_identity.public_key(), "alice", text, rng);
    CANDOR_FUZZ_CHECK(out.has_value());
    std::vector<uint8_t> seed(out->franking_commitment.begin(), out->franking_commitment.end());
    seed.insert(seed.end(), out->message.begin(), out->message.end());
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

std::vector<std::vector<uint8_t>> GroupEnvelopeSeeds() {
  std::vector<std::vector<uint8_t>> seeds;
  std::vector<std::string> recipients = {"bob"};
  for (const auto& seed : GroupMessageSeeds()) {
    crypto::FrankingCommitment c;
    std::copy(seed.begin(), seed.begin() + c.size(), c.begin());
    auto payload = protocol::EncodeGroupMessage(ByteView(seed).subspan(c.size()));
    CANDOR_FUZZ_CHECK(payload.has_value());
    auto env = protocol::EncodeGroupEnvelope(protocol::GroupEnvelope{"alice", recipients, c, *payload});
    CANDOR_FUZZ_CHECK(env.has_value());
    seeds.push_back(*env);
    recipients.push_back("member" + std::to_string(recipients.size()));
  }
  return seeds;
}

void FuzzGroupEnvelope(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  auto env = protocol::DecodeGroupEnvelope(input);
  if (!env) return;
  auto again = protocol::EncodeGroupEnvelope(*env);
  CANDOR_FUZZ_CHECK(again.has_value());
  auto back = protocol::DecodeGroupEnvelope(*again);
  CANDOR_FUZZ_CHECK(back.has_value() && back->sender == env->sender &&
                    back->recipients == env->recipients && back->payload == env->payload &&
                    back->franking_commitment == env->franking_commitment);
  static const crypto::RelayKey key = [] {
    crypto::InsecureDeterministicRandom rng(14);
    return crypto::GenerateRelayKey(rng);
  }();
  auto relayed = protocol::RelayGroupEnvelope(key, input, 1'750'000'000);
  CANDOR_FUZZ_CHECK(relayed.has_value());
  CANDOR_FUZZ_CHECK(relayed->deliveries.size() == env->recipients.size());
  for (size_t i = 0; i < relayed->deliveries.size(); ++i) {
    auto d = protocol::DecodeDelivery(relayed->deliveries[i].second);
    CANDOR_FUZZ_CHECK(d.has_value() && d->envelope.recipient == env->recipients[i] &&
                      d->envelope.sender == env->sender && d->envelope.payload == env->payload);
  }
}

void FuzzGroupControl(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  if (auto d = protocol::DecodeSenderKeyDistribution(input)) {
    auto again = protocol::EncodeSenderKeyDistribution(*d);
    CANDOR_FUZZ_CHECK(again.has_value());
    CANDOR_FUZZ_CHECK(std::equal(input.begin(), input.end(), again->Expose().begin(),
                                 again->Expose().end()));  // canonical only
  }
  if (auto w = protocol::DecodeGroupWelcome(input)) {
    auto again = protocol::EncodeGroupWelcome(*w);
    CANDOR_FUZZ_CHECK(again.has_value() && Bytes(input.begin(), input.end()) == *again);
    // A member its add names joins from it (unconfirmed unless the welcome
    // lists only two); nobody else does.
    auto add = protocol::DecodeGroupChange(w->add);
    CANDOR_FUZZ_CHECK(add.has_value() && !add->accounts.empty());
    const std::string& added = add->accounts.front();
    const bool listed = std::any_of(w->members.begin(), w->members.end(),
                                    [&](const auto& m) { return m.account == added; });
    auto joined = group::GroupState::FromWelcome(added, w->author, input);
    CANDOR_FUZZ_CHECK(joined.has_value() == listed);
    if (joined) {
      CANDOR_FUZZ_CHECK(joined->current().epoch == w->epoch);
      // It may send at once only if nobody but the welcomer and the
      // newcomers its add named is listed.
      const bool alone = std::all_of(w->members.begin(), w->members.end(), [&](const auto& m) {
        return m.account == w->author ||
               std::find(add->accounts.begin(), add->accounts.end(), m.account) !=
                   add->accounts.end();
      });
      CANDOR_FUZZ_CHECK(joined->confirmed() == alone && joined->replaceable());
    }
    if (std::find(add->accounts.begin(), add->accounts.end(), "not-added") == add->accounts.end()) {
      CANDOR_FUZZ_CHECK(
          !group::GroupState::FromWelcome("not-added", w->author, input).has_value());
    }
  }
  auto change = protocol::DecodeGroupChange(input);
  if (!change) return;
  auto again = protocol::EncodeGroupChange(*change);
  CANDOR_FUZZ_CHECK(again.has_value() && Bytes(input.begin(), input.end()) == *again);
  for (const char* author : {"alice", "bob", "carol", "mallory"}) {
    group::GroupState s = *Fixed().state;
    const group::GroupSnapshot before = s.current();
    auto r = s.Apply(author, input);
    if (!r.has_value() || r->kind == group::ChangeOutcome::Kind::kLostTieBreak ||
        r->kind == group::ChangeOutcome::Kind::kAlreadyApplied) {
      CANDOR_FUZZ_CHECK(s.current() == before);  // refused: nothing changed
      continue;
    }
    // Applied: one epoch on, by a member, and no more than the limit.
    CANDOR_FUZZ_CHECK(std::string_view(author) != "mallory");
    CANDOR_FUZZ_CHECK(s.current().members.size() <= kMaxGroupMembers);
    CANDOR_FUZZ_CHECK(s.current().epoch == change->epoch);
  }
}

void FuzzGroupMessage(const uint8_t* data, size_t size) {
  if (size < crypto::kFrankingCommitmentBytes) return;
  const ByteView input(data, size);
  const ByteView commitment = input.first(crypto::kFrankingCommitmentBytes);
  const ByteView message = input.subspan(crypto::kFrankingCommitmentBytes);
  FixedGroup& f = Fixed();
  auto in = group::DecryptGroupText(*f.bob_copy, f.alice_identity.public_key(), "alice",
                                    commitment, message, kNow);
  CANDOR_FUZZ_CHECK(f.bob_copy->chain.iteration == 0);  // the fixed key is never advanced
  if (!in) return;
  CANDOR_FUZZ_CHECK(!in->text.empty());
  CANDOR_FUZZ_CHECK(in->next.chain.iteration == in->iteration + 1 ||
                    in->iteration < f.bob_copy->chain.iteration);
  CANDOR_FUZZ_CHECK(crypto::VerifyGroupFrankingCommitment(in->franking_key, "alice",
                                                          f.bob_copy->chain.group, in->content,
                                                          commitment)
                        .has_value());
}

}  // namespace candor::fuzz
