#include "search_fuzzers.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "candor/crypto/limits.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/session.h"
#include "candor/storage/store.h"
#include "fuzz_check.h"

namespace candor::fuzz {
namespace {

constexpr uint64_t kNow = 1'750'000'000;
const char* const kTexts[] = {"Lunch at the café tomorrow?", "Bring the blue book.",
                              "lunch works, the book too", "Ünïcödé wörds and 数字 123",
                              "\"quoted\" AND NOT OR NEAR * ^ : ()"};

struct SearchWorld {
  SearchWorld() {
    char pattern[] = "/tmp/candor-search-fuzz-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    CANDOR_FUZZ_CHECK(made != nullptr);
    dir = made;
    crypto::InsecureDeterministicRandom rng(7);
    SecretArray<32> key;
    rng.Fill(key.Expose());
    auto created = storage::Store::Create(dir + "/fuzz.db", storage::StoreKey::Raw(std::move(key)),
                                          rng, {.synchronous_full = false, .migration_progress = {}});
    CANDOR_FUZZ_CHECK(created.has_value());
    store.emplace(std::move(created).value());
    const auto me = crypto::Ed25519KeyPair::Generate(rng);
    const auto peer = crypto::Ed25519KeyPair::Generate(rng);
    const auto spk = crypto::X25519KeyPair::Generate(rng);
    for (const char* name : {"alice", "bob"}) {
      auto session = protocol::Session::Initiate(
          me, "me",
          crypto::PrekeyBundle{name, peer.public_key(), 1, spk.public_key(),
                               crypto::SignSignedPrekey(peer, 1, spk.public_key()), std::nullopt,
                               std::nullopt, std::nullopt, std::nullopt},
          rng, crypto::ClassicalFallback::kAllow);
      CANDOR_FUZZ_CHECK(session.has_value());
      for (const char* text : kTexts) {
        auto content = protocol::EncodeContent(text);
        CANDOR_FUZZ_CHECK(content.has_value());
        protocol::OutgoingMessage out{{}, *content, crypto::GenerateFrankingKey(rng), {}};
        rng.Fill(out.franking_commitment);
        auto id = store->CommitSent(*session, out, kNow);
        CANDOR_FUZZ_CHECK(id.has_value());
        ids.insert(*id);
      }
    }
  }
  ~SearchWorld() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::string dir;
  std::optional<storage::Store> store;
  std::set<int64_t> ids;
};

SearchWorld& World() {
  static SearchWorld world;
  return world;
}

}  // namespace

void FuzzSearchQuery(const uint8_t* data, size_t size) {
  if (size == 0) return;
  SearchWorld& w = World();
  const size_t limit = data[0] % 8;  // 0 is refused: part of what is fuzzed
  std::optional<std::string_view> peer;
  if (data[0] & 0x80) peer = "alice";
  const std::string query(reinterpret_cast<const char*>(data + 1), size - 1);
  auto hits = w.store->Search(query, peer, limit, kNow);
  if (!hits.has_value()) {
    CANDOR_FUZZ_CHECK(hits.error().code() == Errc::kInvalidArgument);
  } else {
    CANDOR_FUZZ_CHECK(limit > 0 && hits->size() <= limit);
    for (const auto& h : *hits) {
      CANDOR_FUZZ_CHECK(w.ids.count(h.message_id) == 1);
      CANDOR_FUZZ_CHECK(!peer || h.peer == *peer);
    }
  }
  // The store is unharmed: a known query gives the known answer.
  auto known = w.store->Search("lunch", std::nullopt, 10, kNow);
  CANDOR_FUZZ_CHECK(known.has_value() && known->size() == 4);
}

}  // namespace candor::fuzz
