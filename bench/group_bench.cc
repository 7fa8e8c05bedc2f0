// Group messages (DESIGN.md "Groups (Sender Keys)"): candor/group_one_way is
// one 1 KiB group text encrypted by the sender (Content, padded Frame, group
// franking, Sender Keys with hidden header and signature) and decrypted by
// one member (the reverse, every check, the commitment). Its floor,
// candor/floor_group_one_way (floor_bench.cc), makes the same libsodium
// calls straight; the peers' signal/group_one_way_msg and
// olm/group_one_way_msg do the same work for one sender and one receiver.
#include <benchmark/benchmark.h>

#include <optional>

#include "bench_support.h"
#include "candor/group/group_message.h"

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

}  // namespace
}  // namespace candor::bench
