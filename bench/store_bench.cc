// Persisted receive: candor's receive path into the SQLCipher store
// (decode, replay check, session load, decrypt, one CommitReceived per
// message), at synchronous=FULL and NORMAL; a catch-up of 1,000 queued
// envelopes in one transaction; and the last five messages of one
// conversation in a 1,000,000-message store. Floors in store_floor_bench.cc.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <filesystem>
#include <optional>

#include "bench_support.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/frame.h"
#include "candor/report/report.h"
#include "candor/storage/store.h"

namespace candor::bench {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t kNow = 1'750'000'000;

storage::StoreKey BenchKey() {
  SecretArray<32> k;
  for (auto& b : k.Expose()) b = 0x5c;
  return storage::StoreKey::Raw(std::move(k));
}

// Bob's store on disk (fresh per benchmark) and Alice's session in memory,
// after one message so Bob already has the session stored.
struct ReceivingPair {
  explicit ReceivingPair(bool synchronous_full) {
    fs::create_directories(dir);
    fs::remove(dir / "bob.db");
    bob_store.emplace(Must(storage::Store::Create(
        (dir / "bob.db").string(), BenchKey(), rng,
        {.synchronous_full = synchronous_full, .migration_progress = {}})));
    Must(bob_store->SaveIdentity("bob", bob, kNow));
    Must(bob_store->SaveSignedPrekey(1, spk, crypto::SignSignedPrekey(bob, 1, spk.public_key()), kNow));
    alice.emplace(Must(protocol::Session::Initiate(
        alice_id, "alice",
        crypto::PrekeyBundle{"bob", bob.public_key(), 1, spk.public_key(),
                             crypto::SignSignedPrekey(bob, 1, spk.public_key()), std::nullopt,
                             std::nullopt, std::nullopt, std::nullopt},
        rng, crypto::ClassicalFallback::kAllow)));
    Receive(Next());
  }
  ~ReceivingPair() {
    bob_store.reset();
    fs::remove_all(dir);
  }
  Bytes Next() { return Must(alice->Encrypt(text, rng)).envelope; }
  // As Client::Receive does it: replay check, session load, decryption and
  // commit in one write transaction (docs/storage.md, "One writer per
  // store"), not three.
  void Receive(Bytes envelope) {
    const protocol::Delivery delivery = AsDelivery(std::move(envelope));
    Must(bob_store->InTransaction([&]() -> Result<void> {
      auto received = protocol::ReceiveAndStore(*bob_store, bob, "bob", delivery, kNow, rng);
      if (!received.has_value()) return received.error();
      return Ok();
    }));
  }

  fs::path dir = fs::temp_directory_path() / ("candor-bench-" + std::to_string(::getpid()));
  crypto::InsecureDeterministicRandom rng{11};
  crypto::Ed25519KeyPair alice_id = crypto::Ed25519KeyPair::Generate(rng);
  crypto::Ed25519KeyPair bob = crypto::Ed25519KeyPair::Generate(rng);
  crypto::X25519KeyPair spk = crypto::X25519KeyPair::Generate(rng);
  std::string text = Plaintext();
  std::optional<storage::Store> bob_store;
  std::optional<protocol::Session> alice;
};

void BM_Receive(benchmark::State& state, bool full) {
  ReceivingPair pair(full);
  for (auto _ : state) {
    state.PauseTiming();
    Bytes envelope = pair.Next();  // the sender's work is not the receiver's cost
    state.ResumeTiming();
    pair.Receive(std::move(envelope));
  }
}
BENCHMARK_CAPTURE(BM_Receive, full, true)->Name("candor/receive_persisted_full")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Receive, normal, false)->Name("candor/receive_persisted_normal")
    ->Unit(benchmark::kMicrosecond);

// The work no storage layout can avoid, per receive: decrypt the delivery
// and serialize the advanced session for storing. A persisted receive costs
// at least this plus the floor's insert, which bounds the ratio any layout
// can reach (docs/performance.md).
void BM_ReceiveDecryptOnly(benchmark::State& state) {
  EstablishedPair pair;
  crypto::InsecureDeterministicRandom rng{11};
  const std::string text = Plaintext();
  for (auto _ : state) {
    state.PauseTiming();
    Bytes envelope = Must(pair.alice->Encrypt(text, rng)).envelope;
    state.ResumeTiming();
    benchmark::DoNotOptimize(Must(pair.bob->Decrypt(AsDelivery(std::move(envelope)), kNow, rng)));
    benchmark::DoNotOptimize(pair.bob->Serialize());
  }
}
BENCHMARK(BM_ReceiveDecryptOnly)->Name("candor/receive_decrypt_only")
    ->Unit(benchmark::kMicrosecond);

// One iteration = 1,000 queued envelopes received in one transaction.
void BM_CatchUp1000(benchmark::State& state) {
  ReceivingPair pair(true);
  std::vector<Bytes> queue;
  std::vector<protocol::Delivery> deliveries;
  for (auto _ : state) {
    state.PauseTiming();
    queue.clear();
    for (int i = 0; i < 1000; ++i) queue.push_back(pair.Next());
    state.ResumeTiming();
    deliveries.clear();
    for (Bytes& e : queue) deliveries.push_back(AsDelivery(std::move(e)));
    auto results = Must(protocol::ReceiveBatchAndStore(*pair.bob_store, pair.bob, "bob",
                                                        deliveries, kNow, pair.rng));
    for (auto& r : results) Must(std::move(r));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_CatchUp1000)->Name("candor/catch_up_1000")->Unit(benchmark::kMillisecond);

// The unavoidable work of a catch-up, as for receive_decrypt_only: 1,000
// decryptions and one serialized session.
void BM_CatchUp1000DecryptOnly(benchmark::State& state) {
  EstablishedPair pair;
  crypto::InsecureDeterministicRandom rng{11};
  const std::string text = Plaintext();
  std::vector<Bytes> queue;
  for (auto _ : state) {
    state.PauseTiming();
    queue.clear();
    for (int i = 0; i < 1000; ++i) queue.push_back(Must(pair.alice->Encrypt(text, rng)).envelope);
    state.ResumeTiming();
    for (Bytes& e : queue) {
      benchmark::DoNotOptimize(Must(pair.bob->Decrypt(AsDelivery(std::move(e)), kNow, rng)));
    }
    benchmark::DoNotOptimize(pair.bob->Serialize());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_CatchUp1000DecryptOnly)->Name("candor/catch_up_1000_decrypt_only")
    ->Unit(benchmark::kMillisecond);

// A message of 12 words drawn from a 20,000-word vocabulary, Zipf-like (word
// k about as often as 1/k): "w7 w2 w13051 ...". A search for w100 matches
// about 0.6% of the messages.
std::string SyntheticText(crypto::RandomSource& rng) {
  std::string text;
  for (int w = 0; w < 12; ++w) {
    uint8_t b[4];
    rng.Fill(b);
    const double u = ((b[0] << 16 | b[1] << 8 | b[2]) + 1) / double(1 << 24);
    const int k = static_cast<int>(std::pow(20000.0, u));  // log-uniform: P(k) ~ 1/k
    text += (w ? " w" : "w") + std::to_string(k);
  }
  return text;
}

// A store with 1,000 conversations of 1,000 messages (SyntheticText), built
// once and kept in CANDOR_BENCH_DIR (default /tmp/candor-bench): the build
// takes a while, like the peers' 1M-row database.
std::string HistoryStorePath() {
  const char* env = std::getenv("CANDOR_BENCH_DIR");
  const fs::path dir = env != nullptr ? fs::path(env) : fs::temp_directory_path() / "candor-bench";
  fs::create_directories(dir);
  // The name carries the store layout it was built with (bump on change).
  const std::string path = (dir / "history-1M-layout3.db").string();
  if (fs::exists(path)) return path;
  std::fprintf(stderr, "bench: building the 1M-message store at %s (once)\n", path.c_str());
  crypto::InsecureDeterministicRandom rng(12);
  const std::string tmp = path + ".building";
  fs::remove(tmp);
  {
    storage::Store store = Must(storage::Store::Create(tmp, BenchKey(), rng, {.synchronous_full = false, .migration_progress = {}}));
    const auto me = crypto::Ed25519KeyPair::Generate(rng);
    const auto peer = crypto::Ed25519KeyPair::Generate(rng);
    const auto spk = crypto::X25519KeyPair::Generate(rng);
    for (int c = 0; c < 1000; ++c) {
      const std::string name = "peer" + std::to_string(c);
      auto session = Must(protocol::Session::Initiate(
          me, "me",
          crypto::PrekeyBundle{name, peer.public_key(), 1, spk.public_key(),
                               crypto::SignSignedPrekey(peer, 1, spk.public_key()), std::nullopt,
                               std::nullopt, std::nullopt, std::nullopt},
          rng, crypto::ClassicalFallback::kAllow));
      Must(store.InTransaction([&]() -> Result<void> {
        for (int m = 0; m < 1000; ++m) {
          const Bytes content = Must(protocol::EncodeContent(SyntheticText(rng)));
          protocol::OutgoingMessage out{{}, content, crypto::GenerateFrankingKey(rng), {}};
          rng.Fill(out.franking_commitment);
          CANDOR_RETURN_IF_ERROR(store.CommitSent(session, out, kNow + static_cast<uint64_t>(m)));
        }
        return Ok();
      }));
    }
  }
  fs::rename(tmp, path);
  return path;
}

void BM_HistoryLast5(benchmark::State& state) {
  storage::Store store = Must(storage::Store::Open(HistoryStorePath(), BenchKey()));
  size_t rows = 0;
  for (auto _ : state) {
    auto last = Must(store.LatestMessages("peer500", 5, kNow));
    rows += last.size();
    benchmark::DoNotOptimize(last);
  }
  if (rows != 5 * static_cast<size_t>(state.iterations())) std::abort();
}
BENCHMARK(BM_HistoryLast5)->Name("candor/history_last5_1M")->Unit(benchmark::kMicrosecond);

// The same from a random conversation each time: mostly pages not in the
// cache, each one read and authenticated (HMAC-SHA512) and decrypted.
void BM_HistoryLast5Random(benchmark::State& state) {
  storage::Store store = Must(storage::Store::Open(HistoryStorePath(), BenchKey()));
  std::mt19937 pick(7);
  size_t rows = 0;
  for (auto _ : state) {
    auto last = Must(store.LatestMessages("peer" + std::to_string(pick() % 1000), 5, kNow));
    rows += last.size();
    benchmark::DoNotOptimize(last);
  }
  if (rows != 5 * static_cast<size_t>(state.iterations())) std::abort();
}
BENCHMARK(BM_HistoryLast5Random)->Name("candor/history_last5_random_1M")
    ->Unit(benchmark::kMicrosecond);

// A one-word search over all 1M messages, the 20 newest of about 6,000 hits
// (w100), and a word no message has.
void BM_Search(benchmark::State& state, const char* word, size_t expected) {
  storage::Store store = Must(storage::Store::Open(HistoryStorePath(), BenchKey()));
  size_t hits = 0;
  for (auto _ : state) {
    auto found = Must(store.Search(word, std::nullopt, 20, kNow));
    hits += found.size();
    benchmark::DoNotOptimize(found);
  }
  if (hits != expected * static_cast<size_t>(state.iterations())) std::abort();
}
BENCHMARK_CAPTURE(BM_Search, common, "w100", 20)->Name("candor/search_1M")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Search, absent, "w99999", 0)->Name("candor/search_absent_1M")
    ->Unit(benchmark::kMicrosecond);

// A working copy of the 1M-message store, made once per process: every
// submitted report stays in the report log, so reports written into the
// kept store itself would make each later run measure a bigger database.
std::string ReportStorePath() {
  static const std::string path = [] {
    const std::string source = HistoryStorePath();
    const std::string copy = (fs::path(source).parent_path() / "report-work.db").string();
    fs::copy_file(source, copy, fs::copy_options::overwrite_existing);
    return copy;
  }();
  return path;
}

// Prepare + submit of a report inside the 1M-message store: window
// selection, the preview, the check against the store, sealing, and the
// report-log commit (synchronous FULL, so one fsync'd transaction).
void BM_ReportPrepareSeal(benchmark::State& state) {
  storage::Store store = Must(storage::Store::Open(ReportStorePath(), BenchKey()));
  const int64_t reported = Must(store.LatestMessages("peer500", 1, kNow)).at(0).id;
  crypto::InsecureDeterministicRandom rng(13);
  const auto moderator = crypto::X25519KeyPair::Generate(rng);
  size_t messages = 0;
  for (auto _ : state) {
    auto preview = Must(report::PrepareReport(store, "me", "peer500", reported,
                                              protocol::ReportReason::kSpam, kNow + 1));
    auto submitted = Must(report::SubmitReport(store, "me", preview, moderator.public_key(), kNow + 1));
    messages += submitted.message_count;
    benchmark::DoNotOptimize(submitted);
  }
  if (messages != kReportWindow * static_cast<size_t>(state.iterations())) std::abort();
}
BENCHMARK(BM_ReportPrepareSeal)->Name("candor/report_prepare_seal_1M")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace candor::bench
