#include "attachment_fuzzers.h"

#include <algorithm>

#include "candor/attachment/blob.h"
#include "candor/attachment/file_io.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/protocol/content.h"
#include "fuzz_check.h"

namespace candor::fuzz {

void FuzzAttachmentPointer(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  auto decoded = protocol::DecodeContent(input);
  const std::vector<protocol::AttachmentInfo> described = protocol::DescribeAttachments(input);
  if (!decoded.has_value()) {
    // Refused content names no attachment, and has no text to show either.
    CANDOR_FUZZ_CHECK(described.empty());
    CANDOR_FUZZ_CHECK(!protocol::DecodeContentText(input).has_value());
    return;
  }
  // Only the canonical encoding decodes, so the franking commitment covers
  // exactly one reading of the pointers.
  auto encoded = protocol::EncodeContent(*decoded);
  CANDOR_FUZZ_CHECK(encoded.has_value());
  CANDOR_FUZZ_CHECK(std::equal(encoded->begin(), encoded->end(), input.begin(), input.end()));
  auto text = protocol::DecodeContentText(input);
  CANDOR_FUZZ_CHECK(text.has_value() && *text == decoded->text);
  CANDOR_FUZZ_CHECK(decoded->attachments.size() <= kMaxAttachmentsPerMessage);
  CANDOR_FUZZ_CHECK(described.size() == decoded->attachments.size());
  for (size_t i = 0; i < described.size(); ++i) {
    const protocol::AttachmentPointer& p = decoded->attachments[i];
    const protocol::AttachmentInfo& d = described[i];
    CANDOR_FUZZ_CHECK(p.length <= kMaxAttachmentBytes);
    CANDOR_FUZZ_CHECK(d.blob_id == p.blob_id && d.length == p.length &&
                      d.media_type == p.media_type && d.file_name == p.file_name &&
                      d.thumbnail == p.thumbnail);
    // protocol computes the blob's size itself (it does not depend on
    // attachment/); both must agree on what the blob store serves.
    CANDOR_FUZZ_CHECK(d.blob_size == attachment::BlobSize(p.length));
  }
}

namespace {

// The length prefix: 3 bytes, low 20 bits used, so a claimed length stays
// under 1 MiB and a mutated prefix cannot make the target slow.
constexpr size_t kLengthPrefixBytes = 3;
constexpr uint64_t kLengthMask = (uint64_t{1} << 20) - 1;
constexpr size_t kBlobPrefixBytes = kLengthPrefixBytes + 32;

// The target's key: fuzzing is about parsing blobs, not guessing keys.
constexpr uint8_t kFixedKeyByte = 0x5a;

SecretArray<32> FixedKey() {
  SecretArray<32> key;
  const std::span<uint8_t, 32> bytes = key.Expose();
  std::fill(bytes.begin(), bytes.end(), kFixedKeyByte);
  return key;
}

// EncryptBlob draws its key from the RandomSource: this one hands out the
// fixed key, so the seeds open under it.
class FixedKeySource final : public crypto::RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override { std::fill(out.begin(), out.end(), kFixedKeyByte); }
};

}  // namespace

void FuzzAttachmentBlob(const uint8_t* data, size_t size) {
  if (size < kBlobPrefixBytes) return;
  const uint64_t length =
      (uint64_t{data[0]} | uint64_t{data[1]} << 8 | uint64_t{data[2]} << 16) & kLengthMask;
  attachment::PlaintextDigest digest{};
  std::copy_n(data + kLengthPrefixBytes, digest.size(), digest.begin());
  const ByteView blob = ByteView(data, size).subspan(kBlobPrefixBytes);
  const attachment::BlobKey key{crypto::Blake2b256(blob), FixedKey(), length, digest};
  attachment::MemorySource source(blob);
  attachment::MemorySink sink;
  auto opened = attachment::DecryptBlob(source, key, sink);
  if (opened.has_value()) {
    CANDOR_FUZZ_CHECK(sink.bytes().size() == length);
    CANDOR_FUZZ_CHECK(crypto::Blake2b256(sink.bytes()) == digest);
    CANDOR_FUZZ_CHECK(blob.size() == attachment::BlobSize(length));
    return;
  }
  const Errc code = opened.error().code();
  CANDOR_FUZZ_CHECK(code == Errc::kDecryptFailed || code == Errc::kTruncated ||
                    code == Errc::kTrailingBytes || code == Errc::kMalformed ||
                    code == Errc::kBadPadding || code == Errc::kFrankingMismatch ||
                    code == Errc::kMessageTooLarge);
}

std::vector<std::vector<uint8_t>> AttachmentBlobSeeds() {
  crypto::InsecureDeterministicRandom rng(16);
  FixedKeySource fixed;
  std::vector<std::vector<uint8_t>> seeds;
  for (const uint64_t length : {uint64_t{0}, uint64_t{1}, uint64_t{100}, uint64_t{65536},
                                uint64_t{65537}, uint64_t{200000}}) {
    Bytes plaintext(static_cast<size_t>(length));
    rng.Fill(plaintext);
    attachment::MemorySource source(plaintext);
    attachment::MemorySink sink;
    auto sealed = attachment::EncryptBlob(source, length, sink, fixed);
    CANDOR_FUZZ_CHECK(sealed.has_value() && sealed->key == FixedKey());
    // A seed that does not open teaches the fuzzer nothing past the first
    // chunk: check it does, as the target will.
    attachment::MemorySource again(sink.bytes());
    attachment::MemorySink opened;
    const attachment::BlobKey key{crypto::Blake2b256(sink.bytes()), FixedKey(), length,
                                  sealed->digest};
    CANDOR_FUZZ_CHECK(attachment::DecryptBlob(again, key, opened).has_value() &&
                      opened.bytes() == plaintext);
    // length (3 bytes, little-endian) || digest || blob
    std::vector<uint8_t> seed(kBlobPrefixBytes + sink.bytes().size());
    for (size_t i = 0; i < kLengthPrefixBytes; ++i) seed[i] = static_cast<uint8_t>(length >> (8 * i));
    std::copy(sealed->digest.begin(), sealed->digest.end(), seed.begin() + kLengthPrefixBytes);
    std::copy(sink.bytes().begin(), sink.bytes().end(), seed.begin() + kBlobPrefixBytes);
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

}  // namespace candor::fuzz
