// After a purge, the bytes of a purged message are nowhere in the store's
// files, read with the key: neither in the database file (secure_delete
// zeroes freed space) nor in the write-ahead log (checkpointed and cut to
// zero bytes). The files are decrypted page by page here, the way SQLCipher
// lays them out, because SQLite itself never shows freed pages or old log
// frames.
//
// Page format (SQLCipher 3 and 4): every page is AES-256-CBC encrypted, key
// = the raw store key, IV = the first 16 bytes of the page's reserved tail;
// page 1 starts with the 16-byte plaintext salt. The tail's size (IV + HMAC,
// rounded to the block) is read back from the decrypted header of page 1.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include "candor/storage/store.h"
#include "store_impl.h"
#include "support/session_pair.h"
#include "support/temp_dir.h"

namespace candor::storage {
namespace {

using protocol::Session;

constexpr uint64_t kNow = 1'770'000'000;
constexpr size_t kPage = 4096;
constexpr size_t kWalHeader = 32, kWalFrameHeader = 24;

Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// AES-256-CBC without padding; `in` is whole blocks.
Bytes Decrypt(ByteView key, ByteView iv, ByteView in) {
  Bytes out(in.size() + 16);
  int n = 0, m = 0;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.data(), iv.data());
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_DecryptUpdate(ctx, out.data(), &n, in.data(), static_cast<int>(in.size()));
  EVP_DecryptFinal_ex(ctx, out.data() + n, &m);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<size_t>(n + m));
  return out;
}

// One page's plaintext (page 1 without its salt).
Bytes DecryptPage(ByteView key, ByteView page, bool first, size_t reserve) {
  const size_t start = first ? 16 : 0;
  return Decrypt(key, page.subspan(kPage - reserve, 16),
                 page.subspan(start, kPage - reserve - start));
}

// The reserved tail, found by decrypting page 1 and reading byte 20 of the
// SQLite header (the reserved-space size), which must then agree.
std::optional<size_t> FindReserve(ByteView key, ByteView page1) {
  for (size_t reserve : {48u, 80u}) {
    const Bytes plain = DecryptPage(key, page1, true, reserve);
    // Header bytes 16..21 (offset 0 here is byte 16): page size 4096 (big-endian
    // 0x1000), format versions 2/2 (WAL), reserved space.
    if (plain[0] == 0x10 && plain[1] == 0x00 && plain[2] == 2 && plain[3] == 2 &&
        plain[4] == reserve) {
      return reserve;
    }
  }
  return std::nullopt;
}

bool Contains(ByteView hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

// Does any page of the database or any frame of its log hold `needle`?
bool FoundInFiles(const std::string& path, ByteView key, std::string_view needle) {
  const Bytes db = ReadFile(path);
  EXPECT_GE(db.size(), kPage);
  const auto reserve = FindReserve(key, ByteView(db).first(kPage));
  EXPECT_TRUE(reserve.has_value()) << "not the page layout this test knows";
  if (!reserve) return true;
  for (size_t off = 0; off + kPage <= db.size(); off += kPage) {
    if (Contains(DecryptPage(key, ByteView(db).subspan(off, kPage), off == 0, *reserve), needle)) {
      return true;
    }
  }
  const Bytes wal = ReadFile(path + "-wal");
  for (size_t off = kWalHeader; off + kWalFrameHeader + kPage <= wal.size();
       off += kWalFrameHeader + kPage) {
    const uint32_t page_number = (uint32_t{wal[off]} << 24) | (uint32_t{wal[off + 1]} << 16) |
                                 (uint32_t{wal[off + 2]} << 8) | wal[off + 3];
    const ByteView page = ByteView(wal).subspan(off + kWalFrameHeader, kPage);
    if (Contains(DecryptPage(key, page, page_number == 1, *reserve), needle)) return true;
  }
  return false;
}

TEST(PurgeScan, APurgedMessageIsInNeitherTheDatabaseNorTheLog) {
  testing::ScopedTempDir tmp;
  crypto::InsecureDeterministicRandom rng(41);
  const std::string path = tmp.File("bob.db");
  const SecretArray<32> key = std::move(SecretArray<32>::CopyFrom(Bytes(32, 0x5c))).value();
  StoreOptions options;
  options.synchronous_full = false;  // the setting that leaves the most in the log
  auto store = Store::Create(path, StoreKey::Raw(key.Clone()), rng, options);
  ASSERT_TRUE(store.has_value());
  const auto bob = crypto::Ed25519KeyPair::Generate(rng);
  const auto alice_id = crypto::Ed25519KeyPair::Generate(rng);
  const auto spk = crypto::X25519KeyPair::Generate(rng);
  const auto sig = crypto::SignSignedPrekey(bob, 1, spk.public_key());
  ASSERT_TRUE(store->SaveIdentity("bob", bob, kNow).has_value());
  ASSERT_TRUE(store->SaveSignedPrekey(1, spk, sig, kNow).has_value());
  auto alice = Session::Initiate(
      alice_id, "alice",
      crypto::PrekeyBundle{"bob", bob.public_key(), 1, spk.public_key(), sig, std::nullopt,
                           std::nullopt, std::nullopt, std::nullopt},
      rng, crypto::ClassicalFallback::kAllow);
  ASSERT_TRUE(alice.has_value());
  const crypto::RelayKey relay_key = crypto::GenerateRelayKey(rng);
  constexpr std::string_view kSecret = "purge-me-4f1c9a: the launch code is 0000";
  // In capitals in the message: the search index keeps its words in lower
  // case, so "xylophonist" in the files can only be the index's copy.
  constexpr std::string_view kShouted = " XYLOPHONIST";
  constexpr std::string_view kIndexed = "xylophonist";
  // Enough messages and session updates that old page copies pile up in the
  // log, as they do on a device.
  // Only the secret messages disappear: the index segments they share with
  // the others stay (a segment whose every row is deleted is dropped whole,
  // with or without secure-delete).
  for (uint64_t i = 0; i < 40; ++i) {
    ASSERT_TRUE(store->SetDisappearingTimer("alice", i % 4 == 0 ? std::optional<uint64_t>(60)
                                                                 : std::nullopt)
                    .has_value());
    auto out = alice->Encrypt(
        i % 4 == 0 ? std::string(kSecret) + std::string(kShouted) : "filler " + std::to_string(i),
        rng);
    ASSERT_TRUE(out.has_value());
    auto d = testing::Relay(relay_key, out->envelope, kNow + i);
    ASSERT_TRUE(d.has_value());
    ASSERT_TRUE(protocol::ReceiveAndStore(*store, bob, "bob", *d, kNow, rng).has_value());
  }
  ASSERT_TRUE(FoundInFiles(path, key.Expose(), kSecret)) << "the scan must see stored text";
  ASSERT_TRUE(FoundInFiles(path, key.Expose(), kIndexed)) << "the scan must see the index";
  auto found = store->Search(kIndexed, std::nullopt, 100, kNow);
  ASSERT_TRUE(found.has_value()) << found.error().message();
  ASSERT_EQ(found->size(), 10u);

  ASSERT_EQ(*store->PurgeExpired(kNow + 60), 10u);
  EXPECT_EQ(std::filesystem::file_size(path + "-wal"), 0u) << "the log is cut after a purge";
  EXPECT_FALSE(FoundInFiles(path, key.Expose(), kSecret));
  EXPECT_FALSE(FoundInFiles(path, key.Expose(), kIndexed))
      << "a purged message's words are still in the search index's pages";
  found = store->Search(kIndexed, std::nullopt, 100, kNow + 60);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->empty());
  // The index itself, not through the join with the messages: no row for
  // the word, and FTS5's own check finds the index consistent with the text.
  auto& db = store->impl().db;
  auto direct = db.QueryInt("SELECT count(*) FROM message_search WHERE message_search MATCH '" +
                            std::string(kIndexed) + "'");
  ASSERT_TRUE(direct.has_value()) << direct.error().message();
  EXPECT_EQ(*direct, 0);
  EXPECT_TRUE(db.Exec("INSERT INTO message_search(message_search, rank) "
                      "VALUES ('integrity-check', 1)").has_value());
}

}  // namespace
}  // namespace candor::storage
