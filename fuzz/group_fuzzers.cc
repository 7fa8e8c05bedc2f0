#include "group_fuzzers.h"

#include <optional>

#include "candor/crypto/limits.h"
#include "candor/group/group_message.h"
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
  for (auto kind : {protocol::GroupChangeKind::kAdd, protocol::GroupChangeKind::kRemove}) {
    auto c = s.Issue(kind, {kind == protocol::GroupChangeKind::kAdd ? "dave" : "carol"});
    CANDOR_FUZZ_CHECK(c.has_value());
    seeds.push_back(*c);
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
