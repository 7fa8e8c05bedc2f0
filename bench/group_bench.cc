// Group messages (DESIGN.md "Groups (Sender Keys)"): candor/group_one_way is
// one 1 KiB group text encrypted by the sender (Content, padded Frame, group
// franking, Sender Keys with hidden header and signature) and decrypted by
// one member (the reverse, every check, the commitment). Its floor,
// candor/floor_group_one_way (floor_bench.cc), makes the same libsodium
// calls straight; the peers' signal/group_one_way_msg and
// olm/group_one_way_msg do the same work for one sender and one receiver.
#include <benchmark/benchmark.h>

#include <deque>
#include <optional>
#include <vector>

#include "bench_support.h"
#include "candor/group/group_message.h"
#include "candor/group/sender_key_ring.h"
#include "candor/protocol/group_wire.h"
#include "candor/protocol/wire.h"

namespace candor::bench {
namespace {

constexpr uint64_t kNow = 1'750'000'000;

void BM_GroupOneWay(benchmark::State& state) {
  crypto::InsecureDeterministicRandom setup{21};
  crypto::GroupId group{};
  setup.Fill(group);
  const auto alice = crypto::Ed25519KeyPair::Generate(setup);
  crypto::OwnSenderKey key = crypto::GenerateSenderKey(group, setup);
  std::optional<crypto::MemberSenderKey> bob;
  bob.emplace(crypto::MemberSenderKey{key.chain.Clone(), key.signing.public_key(), std::nullopt,
                                      {}});
  const std::string text = Plaintext();
  crypto::RandomSource& rng = crypto::SystemRandom();
  for (auto _ : state) {
    auto out = Must(group::EncryptGroupText(key, alice.public_key(), "alice", text, rng));
    auto in = Must(group::DecryptGroupText(*bob, alice.public_key(), "alice",
                                           out.franking_commitment, out.message, kNow));
    bob.emplace(std::move(in.next));  // the member commits, as a store would
    benchmark::DoNotOptimize(in.text.data());
  }
}
BENCHMARK(BM_GroupOneWay)->Name("candor/group_one_way");

constexpr size_t kGroupDevices = 1024;

// One message to a 1,024-device group: one encryption and the envelope
// naming the 1,023 recipients (the relay's fan-out is not the sender's).
void BM_GroupSend1024(benchmark::State& state) {
  crypto::InsecureDeterministicRandom setup{22};
  crypto::GroupId group{};
  setup.Fill(group);
  const auto alice = crypto::Ed25519KeyPair::Generate(setup);
  crypto::OwnSenderKey key = crypto::GenerateSenderKey(group, setup);
  std::vector<std::string> recipients;
  for (size_t i = 1; i < kGroupDevices; ++i) recipients.push_back("member" + std::to_string(i));
  const std::string text = Plaintext();
  crypto::RandomSource& rng = crypto::SystemRandom();
  size_t envelope_bytes = 0;
  for (auto _ : state) {
    auto out = Must(group::EncryptGroupText(key, alice.public_key(), "alice", text, rng));
    Bytes payload = Must(protocol::EncodeGroupMessage(out.message));
    Bytes envelope = Must(protocol::EncodeGroupEnvelope(
        protocol::GroupEnvelope{"alice", recipients, out.franking_commitment, std::move(payload)}));
    envelope_bytes = envelope.size();
    benchmark::DoNotOptimize(envelope.data());
  }
  state.counters["envelope_bytes"] = static_cast<double>(envelope_bytes);
}
BENCHMARK(BM_GroupSend1024)->Name("candor/group_send_1024")->Unit(benchmark::kMicrosecond);

// The sender's established sessions with the 1,022 members that remain
// after a removal, in sending-chain state (pairs built once per process).
std::deque<EstablishedPair>& Pairs() {
  static std::deque<EstablishedPair> pairs(kGroupDevices - 2);
  return pairs;
}

// After one removal, the next send's new sender key to the 1,022 remaining
// devices: a new key, its distribution, and one pairwise message each,
// every session serialized as an in-memory store keeps it. The removal's
// own fan-out is not part of it.
void BM_GroupRekey1024(benchmark::State& state) {
  crypto::InsecureDeterministicRandom setup{23};
  crypto::GroupId group{};
  setup.Fill(group);
  group::SenderKeyRing ring(group);
  const auto alice = crypto::Ed25519KeyPair::Generate(setup);
  auto& pairs = Pairs();
  crypto::RandomSource& rng = crypto::SystemRandom();
  (void)Must(ring.KeyForSending(1, "alice", alice.public_key(), rng));
  size_t distribution_bytes = 0;
  for (auto _ : state) {
    ring.Depart({"removed"});  // the removal: the own key is retired
    auto key = Must(ring.KeyForSending(2, "alice", alice.public_key(), rng));
    SecretBytes encoded = Must(protocol::EncodeSenderKeyDistribution(*key.distribution));
    distribution_bytes = encoded.Expose().size();
    const auto control = Must(protocol::CheckedGroupControl::From(encoded.Expose()));
    for (EstablishedPair& p : pairs) {
      auto out = Must(p.alice->EncryptGroupControl(control, rng));
      SecretBytes saved = p.alice->Serialize();
      benchmark::DoNotOptimize(out.envelope.data());
      benchmark::DoNotOptimize(saved.Expose().data());
    }
  }
  state.counters["distribution_bytes"] = static_cast<double>(distribution_bytes);
  state.counters["members"] = static_cast<double>(pairs.size());
}
BENCHMARK(BM_GroupRekey1024)->Name("candor/group_rekey_1024")->Unit(benchmark::kMillisecond);

// The unit the rekey target is stated in: one one-to-one encryption of a
// message the distribution's size, in sending-chain state, and its session
// serialized the same way.
void BM_EncryptOnly(benchmark::State& state) {
  EstablishedPair pair;
  crypto::RandomSource& rng = crypto::SystemRandom();
  crypto::GroupId group{};
  crypto::OwnSenderKey key = crypto::GenerateSenderKey(group, pair.setup_rng);
  const size_t size = Must(protocol::EncodeSenderKeyDistribution(protocol::SenderKeyDistribution{
                               2, key.chain.Clone(), key.signing.public_key(), 1, 1, {}}))
                          .Expose()
                          .size();
  const std::string text(size - 3, 'x');  // Content: tag + 2-byte length + text
  for (auto _ : state) {
    auto out = Must(pair.alice->Encrypt(text, rng));
    SecretBytes saved = pair.alice->Serialize();
    benchmark::DoNotOptimize(out.envelope.data());
    benchmark::DoNotOptimize(saved.Expose().data());
  }
}
BENCHMARK(BM_EncryptOnly)->Name("candor/encrypt_only");

}  // namespace
}  // namespace candor::bench
