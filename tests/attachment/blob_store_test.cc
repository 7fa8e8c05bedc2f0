// The reference blob store and the file sink: a blob is kept only when its
// bytes hash to its id and have the size announced; it is served until its
// retention ends; expire deletes it; and nothing half-written is ever
// visible (no blob, no .part file) after a refused upload or a sink that
// was not committed.
#include "candor/attachment/blob_store.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/random.h"
#include "support/temp_dir.h"

namespace candor::attachment {
namespace {

namespace fs = std::filesystem;

class BlobStoreTest : public ::testing::Test {
 protected:
  // A real blob of `n` plaintext bytes.
  std::pair<BlobId, Bytes> Blob(size_t n) {
    Bytes plain(n, 0x5a);
    MemorySource in(plain);
    MemorySink out;
    auto sealed = EncryptBlob(in, n, out, rng_);
    EXPECT_TRUE(sealed.has_value());
    return {sealed->blob_id, std::move(out.bytes())};
  }
  Result<void> Put(BlobStore& store, const BlobId& id, const Bytes& bytes, uint64_t size,
                   uint64_t now = 1000) {
    MemorySource in(bytes);
    return store.Put(id, size, in, "alice", now);
  }
  Bytes Read(Source& source) {
    Bytes out;
    uint8_t buf[4096];
    for (;;) {
      auto n = source.Read(buf);
      EXPECT_TRUE(n.has_value());
      if (!n.has_value() || *n == 0) return out;
      out.insert(out.end(), buf, buf + *n);
    }
  }
  // Every file in the store's directory but the access log.
  std::vector<std::string> Files() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename() != "access.log") out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  crypto::InsecureDeterministicRandom rng_{21};
  testing::ScopedTempDir tmp_;
  std::string dir_ = tmp_.File("blobs");
};

TEST_F(BlobStoreTest, KeepsAndServesABlobByItsId) {
  auto store = BlobStore::Open(dir_);
  ASSERT_TRUE(store.has_value()) << store.error().message();
  auto [id, blob] = Blob(150000);
  ASSERT_TRUE(Put(*store, id, blob, blob.size()).has_value());
  auto got = store->Get(id, "bob", 2000);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(Read(**got), blob);
  // What the store saw: uploader, fetcher, times, sizes; no key, no name.
  std::ifstream log(dir_ + "/access.log");
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_NE(text.str().find("\"op\":\"put\""), std::string::npos);
  EXPECT_NE(text.str().find("\"account\":\"alice\""), std::string::npos);
  EXPECT_NE(text.str().find("\"account\":\"bob\""), std::string::npos);
}

TEST_F(BlobStoreTest, RefusesBytesThatDoNotHashToTheirIdAndKeepsNothing) {
  auto store = BlobStore::Open(dir_);
  ASSERT_TRUE(store.has_value());
  auto [id, blob] = Blob(1000);
  Bytes altered = blob;
  altered[500] ^= 1;
  auto refused = Put(*store, id, altered, altered.size());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), Errc::kMalformed);
  EXPECT_TRUE(Files().empty()) << "no blob, no record, no temporary file";
  EXPECT_EQ(store->Get(id, "bob", 1001).error().code(), Errc::kNotFound);
  // Another blob's bytes under this id: refused too.
  auto [other_id, other] = Blob(1000);
  EXPECT_FALSE(Put(*store, id, other, other.size()).has_value());
  EXPECT_TRUE(Files().empty());
}

TEST_F(BlobStoreTest, RefusesABlobOfAnotherSizeThanAnnounced) {
  auto store = BlobStore::Open(dir_);
  ASSERT_TRUE(store.has_value());
  auto [id, blob] = Blob(1000);
  EXPECT_EQ(Put(*store, id, blob, blob.size() + 1).error().code(), Errc::kMalformed);
  EXPECT_EQ(Put(*store, id, blob, blob.size() - 1).error().code(), Errc::kMalformed);
  EXPECT_EQ(Put(*store, id, blob, 3).error().code(), Errc::kFieldOutOfRange);
  EXPECT_TRUE(Files().empty());
}

TEST_F(BlobStoreTest, ServesUntilItsRetentionEndsThenExpires) {
  auto store = BlobStore::Open(dir_, /*retention_seconds=*/100);
  ASSERT_TRUE(store.has_value());
  auto [id, blob] = Blob(10);
  ASSERT_TRUE(Put(*store, id, blob, blob.size(), 1000).has_value());
  EXPECT_TRUE(store->Get(id, "bob", 1099).has_value());
  EXPECT_EQ(store->Get(id, "bob", 1100).error().code(), Errc::kNotFound)
      << "past its retention, swept or not";
  EXPECT_EQ(*store->Expire(1099), 0u);
  EXPECT_EQ(*store->Expire(1100), 1u);
  EXPECT_TRUE(Files().empty());
  // A new upload renews it.
  ASSERT_TRUE(Put(*store, id, blob, blob.size(), 5000).has_value());
  EXPECT_TRUE(store->Get(id, "bob", 5050).has_value());
  EXPECT_EQ(BlobStore::Open(dir_, 0).error().code(), Errc::kInvalidArgument);
  EXPECT_EQ(BlobStore::Open(dir_ + "-typo", 100, /*create=*/false).error().code(), Errc::kNotFound);
  EXPECT_EQ(store->Get(id, "\xff", 5050).error().code(), Errc::kInvalidAccount);
  EXPECT_EQ(fs::status(dir_ + "/access.log").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(BlobStoreTest, ExpireSweepsLeftoversOfAnInterruptedUpload) {
  auto store = BlobStore::Open(dir_);
  ASSERT_TRUE(store.has_value());
  auto [id, blob] = Blob(10);
  ASSERT_TRUE(Put(*store, id, blob, blob.size()).has_value());
  // A crash between the blob and its record, and one mid-upload.
  fs::remove(dir_ + "/" + ToHex(id) + ".meta");
  std::ofstream(dir_ + "/" + ToHex(id) + ".part-abcdef") << "half";
  EXPECT_EQ(store->Get(id, "bob", 1001).error().code(), Errc::kNotFound) << "no record: not served";
  // Younger than an hour: maybe an upload in progress, so kept.
  const auto now = static_cast<uint64_t>(::time(nullptr));
  EXPECT_EQ(*store->Expire(now), 0u);
  EXPECT_EQ(Files().size(), 2u);
  EXPECT_EQ(*store->Expire(now + 3600), 1u);
  EXPECT_TRUE(Files().empty());
}

TEST_F(BlobStoreTest, AtomicFileSinkShowsNothingUntilCommitted) {
  const std::string path = tmp_.File("out.bin");
  {
    auto sink = AtomicFileSink::Create(path);
    ASSERT_TRUE(sink.has_value());
    ASSERT_TRUE((*sink)->Write(Bytes{1, 2, 3}).has_value());
    EXPECT_FALSE(fs::exists(path));
  }  // dropped: the temporary file goes
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    ADD_FAILURE() << "left behind: " << e.path();
  }
  auto sink = AtomicFileSink::Create(path);
  ASSERT_TRUE(sink.has_value());
  ASSERT_TRUE((*sink)->Write(Bytes{1, 2, 3}).has_value());
  ASSERT_TRUE((*sink)->Commit().has_value());
  EXPECT_EQ(fs::file_size(path), 3u);
  EXPECT_EQ(AtomicFileSink::Create(path).error().code(), Errc::kAlreadyExists)
      << "an existing file is never overwritten";
  EXPECT_EQ(FileSource::Open(tmp_.File("none")).error().code(), Errc::kNotFound);
}

// A process killed in the middle of writing leaves no file at all: the
// bytes were in an unnamed file (O_TMPFILE) that died with it.
TEST_F(BlobStoreTest, AKilledWriterLeavesNothing) {
  const std::string path = tmp_.File("killed.bin");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto sink = AtomicFileSink::Create(path);
    if (!sink.has_value()) ::_exit(1);
    const Bytes chunk(65536, 0x11);
    for (int i = 0; i < 16; ++i) (void)(*sink)->Write(chunk);
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child did not get as far as its kill";
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    ADD_FAILURE() << "left behind: " << e.path();
  }
}

}  // namespace
}  // namespace candor::attachment
