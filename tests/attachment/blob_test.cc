// Attachments' blobs: round trips at the sizes that matter (empty, one
// byte, an exact chunk, a chunk and a byte, several chunks), and every way
// a blob or its pointer can be wrong — truncation, a dropped or reordered
// chunk, a flipped byte anywhere, a wrong key, blob id, digest or length,
// trailing bytes, a source of the wrong length, the 2 GiB limit, and
// cancellation — each a clear error.
#include "candor/attachment/blob.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/hash.h"
#include "candor/crypto/secretstream.h"

namespace candor::attachment {
namespace {

class MemorySource : public Source {
 public:
  explicit MemorySource(ByteView bytes, size_t step = 7000) : bytes_(bytes), step_(step) {}
  Result<size_t> Read(std::span<uint8_t> buffer) override {
    // Short reads on purpose: a source may return less than asked.
    const size_t n = std::min({buffer.size(), bytes_.size() - at_, step_});
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(at_), n, buffer.begin());
    at_ += n;
    return n;
  }

 private:
  ByteView bytes_;
  size_t step_;
  size_t at_ = 0;
};

class MemorySink : public Sink {
 public:
  Result<void> Write(ByteView bytes) override {
    out.insert(out.end(), bytes.begin(), bytes.end());
    return Ok();
  }
  Bytes out;
};

class BlobTest : public ::testing::Test {
 protected:
  Bytes Plain(size_t n) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 31 + 7);
    return b;
  }
  std::pair<SealedBlob, Bytes> Seal(const Bytes& plain) {
    MemorySource in(plain);
    MemorySink out;
    auto sealed = EncryptBlob(in, plain.size(), out, rng_);
    EXPECT_TRUE(sealed.has_value()) << sealed.error().message();
    return {std::move(sealed).value(), std::move(out.out)};
  }
  static BlobKey KeyOf(const SealedBlob& s) {
    return BlobKey{s.blob_id, s.key.Clone(), s.length, s.digest};
  }
  Result<Bytes> Open(const Bytes& blob, const BlobKey& key) {
    MemorySource in(blob);
    MemorySink out;
    CANDOR_RETURN_IF_ERROR(DecryptBlob(in, key, out));
    return out.out;
  }
  crypto::InsecureDeterministicRandom rng_{1616};
};

TEST_F(BlobTest, RoundTripsAtTheSizesThatMatter) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, kBlobChunkBytes, kBlobChunkBytes + 1,
                   3 * kBlobChunkBytes + 12345}) {
    const Bytes plain = Plain(n);
    auto [sealed, blob] = Seal(plain);
    EXPECT_EQ(blob.size(), BlobSize(n)) << n;
    EXPECT_EQ(sealed.blob_size, blob.size());
    EXPECT_EQ(sealed.blob_id, crypto::Blake2b256(blob)) << "blob_id is the blob's BLAKE2b-256";
    EXPECT_EQ(sealed.digest, crypto::Blake2b256(plain)) << "digest is the plaintext's";
    EXPECT_GE(PaddedLength(n), n);
    auto opened = Open(blob, KeyOf(sealed));
    ASSERT_TRUE(opened.has_value()) << n << ": " << opened.error().message();
    EXPECT_EQ(*opened, plain) << n;
  }
  EXPECT_EQ(BlobSize(0), 24u + 17u) << "an empty attachment is one empty final chunk";
  EXPECT_EQ(PaddedLength(1000), 1024u) << "Padme: E = 9, S = 4, a multiple of 32";
  EXPECT_EQ(PaddedLength(100000), 100352u);
}

TEST_F(BlobTest, EveryDamageIsAClearErrorAndNothingPasses) {
  const Bytes plain = Plain(2 * kBlobChunkBytes + 100);  // three chunks
  auto [sealed, blob] = Seal(plain);
  const BlobKey key = KeyOf(sealed);
  const size_t chunk = kBlobChunkBytes + crypto::kSecretStreamOverheadBytes;

  Bytes truncated(blob.begin(), blob.end() - 1);
  EXPECT_EQ(Open(truncated, key).error().code(), Errc::kTruncated);
  Bytes no_last(blob.begin(), blob.begin() + 24 + 2 * static_cast<std::ptrdiff_t>(chunk));
  EXPECT_EQ(Open(no_last, key).error().code(), Errc::kTruncated);
  Bytes swapped = blob;
  std::swap_ranges(swapped.begin() + 24, swapped.begin() + 24 + static_cast<std::ptrdiff_t>(chunk),
                   swapped.begin() + 24 + static_cast<std::ptrdiff_t>(chunk));
  EXPECT_EQ(Open(swapped, key).error().code(), Errc::kDecryptFailed) << "chunks reordered";
  for (size_t at : {size_t{0}, size_t{23}, size_t{24}, size_t{24} + chunk - 1, size_t{24} + chunk,
                    blob.size() - 1}) {
    Bytes flipped = blob;
    flipped[at] ^= 0x01;
    EXPECT_FALSE(Open(flipped, key).has_value()) << "a flipped byte at " << at;
  }
  Bytes trailing = blob;
  trailing.push_back(0);
  EXPECT_EQ(Open(trailing, key).error().code(), Errc::kTrailingBytes);

  BlobKey wrong_key = KeyOf(sealed);
  wrong_key.key.Expose()[0] ^= 1;
  EXPECT_EQ(Open(blob, wrong_key).error().code(), Errc::kDecryptFailed);
  BlobKey wrong_id = KeyOf(sealed);
  wrong_id.blob_id[0] ^= 1;
  EXPECT_EQ(Open(blob, wrong_id).error().code(), Errc::kFrankingMismatch);
  BlobKey wrong_digest = KeyOf(sealed);
  wrong_digest.digest[5] ^= 1;
  EXPECT_EQ(Open(blob, wrong_digest).error().code(), Errc::kFrankingMismatch);
  BlobKey wrong_length = KeyOf(sealed);
  wrong_length.length -= 1;  // the same padded size: caught by the padding or digest
  EXPECT_FALSE(Open(blob, wrong_length).has_value());
  wrong_length.length = plain.size() + 50000;  // other chunk boundaries
  EXPECT_FALSE(Open(blob, wrong_length).has_value());
}

TEST_F(BlobTest, ASourceOfTheWrongLengthAndTheLimitAreRefused) {
  const Bytes plain = Plain(5000);
  MemorySink out;
  MemorySource short_in(plain);
  EXPECT_EQ(EncryptBlob(short_in, 5001, out, rng_).error().code(), Errc::kTruncated);
  MemorySource long_in(plain);
  EXPECT_EQ(EncryptBlob(long_in, 4999, out, rng_).error().code(), Errc::kTrailingBytes);
  MemorySink untouched;
  MemorySource big(plain);
  EXPECT_EQ(EncryptBlob(big, kMaxAttachmentBytes + 1, untouched, rng_).error().code(),
            Errc::kMessageTooLarge);
  EXPECT_TRUE(untouched.out.empty()) << "refused before anything was written";
}

TEST_F(BlobTest, CancellationStopsBothWays) {
  const Bytes plain = Plain(3 * kBlobChunkBytes);
  MemorySource in(plain);
  MemorySink out;
  int calls = 0;
  auto stop_after_one = [&](uint64_t done, uint64_t total) {
    EXPECT_LE(done, total);
    return ++calls < 2;
  };
  EXPECT_EQ(EncryptBlob(in, plain.size(), out, rng_, stop_after_one).error().code(),
            Errc::kCancelled);
  auto [sealed, blob] = Seal(plain);
  MemorySource blob_in(blob);
  MemorySink plain_out;
  calls = 0;
  EXPECT_EQ(DecryptBlob(blob_in, KeyOf(sealed), plain_out, stop_after_one).error().code(),
            Errc::kCancelled);
}

}  // namespace
}  // namespace candor::attachment
