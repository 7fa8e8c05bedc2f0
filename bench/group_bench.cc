// Group messages (DESIGN.md "Groups (Sender Keys)"): candor/group_one_way is
// one 1 KiB group text encrypted by the sender (Content, padded Frame, group
// franking, Sender Keys with hidden header and signature) and decrypted by
// one member (the reverse, every check, the commitment). Its floor,
// candor/floor_group_one_way (floor_bench.cc), makes the same libsodium
// calls straight; the peers' signal/group_one_way_msg and
// olm/group_one_way_msg do the same work for one sender and one receiver.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <deque>
#include <filesystem>
#include <optional>
#include <vector>

#include "bench_support.h"
#include "candor/group/group_message.h"
#include "candor/group/sender_key_ring.h"
#include "candor/protocol/group_wire.h"
#include "candor/protocol/wire.h"
#include "candor/storage/store.h"

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
// A distribution carries the sender's view of the group (32 bytes).
constexpr std::array<uint8_t, 32> kMembership{};

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
    auto key = Must(ring.KeyForSending(2, "alice", alice.public_key(), rng, kMembership));
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

// The same rekey as a Client makes it with its SQLCipher store (synchronous
// FULL, the default): in one synced transaction, each member's session
// loaded from the store, the distribution encrypted, the advanced session
// committed (no history row: a control message is none).
void BM_GroupRekey1024Sqlcipher(benchmark::State& state) {
  namespace fs = std::filesystem;
  crypto::InsecureDeterministicRandom setup{24};
  crypto::GroupId group{};
  setup.Fill(group);
  group::SenderKeyRing ring(group);
  const auto alice = crypto::Ed25519KeyPair::Generate(setup);
  crypto::RandomSource& rng = crypto::SystemRandom();
  const fs::path dir = fs::temp_directory_path() / ("candor-rekey-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  SecretArray<32> key;
  setup.Fill(key.Expose());
  std::optional<storage::Store> store(Must(storage::Store::Create(
      (dir / "alice.db").string(), storage::StoreKey::Raw(std::move(key)), setup)));
  std::vector<std::string> members;
  for (size_t i = 0; i < kGroupDevices - 2; ++i) {
    members.push_back("member" + std::to_string(i));
    EstablishedPair pair(members.back());
    auto first = Must(pair.alice->Encrypt("hi", rng));
    Must(store->CommitSent(*pair.alice, first, kNow));  // the session, stored
  }
  (void)Must(ring.KeyForSending(1, "alice", alice.public_key(), rng));
  for (auto _ : state) {
    ring.Depart({"removed"});
    auto sending = Must(ring.KeyForSending(2, "alice", alice.public_key(), rng, kMembership));
    SecretBytes encoded = Must(protocol::EncodeSenderKeyDistribution(*sending.distribution));
    const auto control = Must(protocol::CheckedGroupControl::From(encoded.Expose()));
    Must(store->InTransaction(
        [&]() -> Result<void> {
          for (const std::string& member : members) {
            CANDOR_ASSIGN_OR_RETURN(std::optional<protocol::Session> session,
                                    store->LoadSession(member));
            CANDOR_ASSIGN_OR_RETURN(auto out, session->EncryptGroupControl(control, rng));
            CANDOR_RETURN_IF_ERROR(store->CommitSent(*session, out, kNow));
            benchmark::DoNotOptimize(out.envelope.data());
          }
          return Ok();
        },
        protocol::Durability::kSynced));
  }
  state.counters["members"] = static_cast<double>(members.size());
  store.reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_GroupRekey1024Sqlcipher)
    ->Name("candor/group_rekey_1024_sqlcipher")
    ->Unit(benchmark::kMillisecond);

// The unit the rekey target is stated in: one one-to-one encryption of a
// message the distribution's size, in sending-chain state, and its session
// serialized the same way.
void BM_EncryptOnly(benchmark::State& state) {
  EstablishedPair pair;
  crypto::RandomSource& rng = crypto::SystemRandom();
  crypto::GroupId group{};
  crypto::OwnSenderKey key = crypto::GenerateSenderKey(group, pair.setup_rng);
  const size_t size = Must(protocol::EncodeSenderKeyDistribution(protocol::SenderKeyDistribution{
                               2, key.chain.Clone(), key.signing.public_key(), 1, 1, {},
                               kMembership}))
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
