// Known-answer vectors for attachments (DESIGN.md "Attachments"): a note of
// 100 bytes (one chunk, Padmé-padded to 104) and 65,636 bytes (two chunks,
// TAG_MESSAGE then TAG_FINAL, padded to 67,584), each with the Content that
// sends it ("see attached" and its pointer). libsodium 1.0.18 draws the
// secretstream header's randomness itself, so a blob cannot be made again:
// tests/vectors/attachment_v1.json was generated once by this test with
// CANDOR_WRITE_VECTORS=1 (keys from InsecureDeterministicRandom) and is
// frozen. Both this test and tests/vectors/verify_attachment_vectors.py (an
// independent secretstream pull in Python) check it on the decrypt side.
//
// The file is flat, like the other vector files: each vector's fields carry
// its prefix (a1_, a2_). a2's plaintext is not in the file (it would double
// its size): it is a2_plaintext_pattern repeated up to a2_length bytes.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "candor/attachment/blob.h"
#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/padme.h"
#include "candor/crypto/secretstream.h"
#include "candor/protocol/content.h"
#include "support/hex.h"
#include "support/session_vectors.h"

namespace candor::attachment {
namespace {

using candor::testing::VectorList;

constexpr char kText[] = "see attached";
constexpr char kNote[] =
    "candor attachment vector v1: a short note of exactly one hundred bytes, padded to 104, "
    "then sealed.\n";
static_assert(sizeof(kNote) - 1 == 100);
constexpr size_t kPatternBytes = 251;  // prime: the pattern never lines up with a chunk

struct Spec {
  const char* prefix;
  uint64_t key_seed;  // EncryptBlob's first draw is the key
  const char* media_type;
  const char* file_name;
};
constexpr Spec kSpecs[] = {
    {"a1", 1616, "text/plain", "note.txt"},
    {"a2", 1617, "application/octet-stream", "pattern.bin"},
};

Bytes Repeat(ByteView pattern, uint64_t length) {
  Bytes out(static_cast<size_t>(length));
  for (size_t i = 0; i < out.size(); ++i) out[i] = pattern[i % pattern.size()];
  return out;
}

// a1's plaintext is the note; a2's is a pattern drawn from a seed of its own
// (so the key stays EncryptBlob's first draw), repeated over two chunks.
Bytes Pattern() {
  crypto::InsecureDeterministicRandom rng(1618);
  Bytes pattern(kPatternBytes);
  rng.Fill(pattern);
  return pattern;
}

Bytes PlaintextOf(const Spec& spec) {
  if (std::string_view(spec.prefix) == "a1") {
    const std::string_view note(kNote, sizeof(kNote) - 1);
    return Bytes(note.begin(), note.end());
  }
  return Repeat(Pattern(), kBlobChunkBytes + 100);
}

struct Sealed {
  SealedBlob blob;
  Bytes bytes;
};

Sealed Seal(const Spec& spec, const Bytes& plaintext) {
  crypto::InsecureDeterministicRandom rng(spec.key_seed);
  MemorySource in(plaintext);
  MemorySink out;
  auto sealed = EncryptBlob(in, plaintext.size(), out, rng);
  EXPECT_TRUE(sealed.has_value()) << sealed.error().message();
  return Sealed{std::move(sealed).value(), std::move(out.bytes())};
}

protocol::AttachmentPointer PointerOf(const Spec& spec, const BlobId& blob_id,
                                      const SecretArray<32>& key, uint64_t length,
                                      const PlaintextDigest& digest) {
  protocol::AttachmentPointer p;
  p.blob_id = blob_id;
  p.key = key.Clone();
  p.length = length;
  p.digest = digest;
  p.media_type = spec.media_type;
  p.file_name = spec.file_name;
  return p;
}

Result<Bytes> ContentOf(protocol::AttachmentPointer pointer) {
  protocol::MessageContent content;
  content.text = kText;
  content.attachments.push_back(std::move(pointer));
  return protocol::EncodeContent(content);
}

VectorList Generate() {
  VectorList v;
  v.emplace_back("content_text", kText);
  for (const Spec& spec : kSpecs) {
    const std::string p = std::string(spec.prefix) + "_";
    const Bytes plaintext = PlaintextOf(spec);
    Sealed s = Seal(spec, plaintext);
    auto content =
        ContentOf(PointerOf(spec, s.blob.blob_id, s.blob.key, s.blob.length, s.blob.digest));
    EXPECT_TRUE(content.has_value()) << content.error().message();
    v.emplace_back(p + "key", ToHex(s.blob.key.Expose()));
    if (plaintext.size() == sizeof(kNote) - 1) {
      v.emplace_back(p + "plaintext", ToHex(plaintext));
    } else {
      v.emplace_back(p + "plaintext_pattern", ToHex(Pattern()));
    }
    v.emplace_back(p + "length", std::to_string(plaintext.size()));
    v.emplace_back(p + "padded_length", std::to_string(PaddedLength(plaintext.size())));
    v.emplace_back(p + "blob_size", std::to_string(s.bytes.size()));
    v.emplace_back(p + "blob_id", ToHex(s.blob.blob_id));
    v.emplace_back(p + "digest", ToHex(s.blob.digest));
    v.emplace_back(p + "media_type", spec.media_type);
    v.emplace_back(p + "file_name", spec.file_name);
    v.emplace_back(p + "content", content.has_value() ? ToHex(*content) : "");
    v.emplace_back(p + "blob", ToHex(s.bytes));
  }
  return v;
}

// The frozen file, read once. Under CANDOR_WRITE_VECTORS=1 it is written
// first: run the test binary itself with --gtest_filter='AttachmentVectors.*'
// (under ctest each test's process would write other blobs), then check the
// file with the Python script before committing it.
class Frozen {
 public:
  static const Frozen& Get() {
    static const Frozen frozen;
    return frozen;
  }
  std::string Str(const std::string& name) const {
    auto it = fields_.fields().find(name);
    if (it == fields_.fields().end()) {
      ADD_FAILURE() << name << " missing from " << CANDOR_ATTACHMENT_VECTORS;
      return {};
    }
    return it->second.string_value();
  }
  Bytes Hex(const std::string& name) const { return candor::testing::Unhex(Str(name)); }
  uint64_t Number(const std::string& name) const {
    const std::string s = Str(name);
    uint64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    EXPECT_TRUE(ec == std::errc() && end == s.data() + s.size()) << name << " is no number: " << s;
    return n;
  }
  size_t size() const { return static_cast<size_t>(fields_.fields().size()); }

 private:
  Frozen() {
    if (std::getenv("CANDOR_WRITE_VECTORS") != nullptr) {
      std::ofstream(CANDOR_ATTACHMENT_VECTORS) << candor::testing::ToJson(Generate());
    }
    std::ifstream in(CANDOR_ATTACHMENT_VECTORS);
    EXPECT_TRUE(in) << "cannot open " << CANDOR_ATTACHMENT_VECTORS;
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &fields_).ok())
        << CANDOR_ATTACHMENT_VECTORS;
  }
  google::protobuf::Struct fields_;
};

// One vector as the file has it.
struct Vector {
  std::string name;
  SecretArray<32> key;
  Bytes plaintext;
  uint64_t length = 0;
  uint64_t padded_length = 0;
  uint64_t blob_size = 0;
  Bytes blob;
  BlobId blob_id{};
  PlaintextDigest digest{};
  std::string media_type;
  std::string file_name;
  Bytes content;

  BlobKey Key() const { return BlobKey{blob_id, key.Clone(), length, digest}; }
};

template <size_t N>
std::array<uint8_t, N> Fixed(const Bytes& bytes, const std::string& name) {
  std::array<uint8_t, N> out{};
  EXPECT_EQ(bytes.size(), N) << name;
  std::copy_n(bytes.begin(), std::min(N, bytes.size()), out.begin());
  return out;
}

Vector Read(const Spec& spec) {
  const Frozen& f = Frozen::Get();
  const std::string p = std::string(spec.prefix) + "_";
  Vector v;
  v.name = spec.prefix;
  const auto key = Fixed<32>(f.Hex(p + "key"), p + "key");
  v.key = SecretArray<32>::CopyFrom(key).value();
  v.length = f.Number(p + "length");
  v.plaintext = std::string_view(spec.prefix) == "a1"
                    ? f.Hex(p + "plaintext")
                    : Repeat(f.Hex(p + "plaintext_pattern"), v.length);
  v.padded_length = f.Number(p + "padded_length");
  v.blob_size = f.Number(p + "blob_size");
  v.blob = f.Hex(p + "blob");
  v.blob_id = Fixed<32>(f.Hex(p + "blob_id"), p + "blob_id");
  v.digest = Fixed<32>(f.Hex(p + "digest"), p + "digest");
  v.media_type = f.Str(p + "media_type");
  v.file_name = f.Str(p + "file_name");
  v.content = f.Hex(p + "content");
  return v;
}

Result<Bytes> Open(const BlobKey& key, const Bytes& blob) {
  MemorySource in(blob);
  MemorySink out;
  CANDOR_RETURN_IF_ERROR(DecryptBlob(in, key, out));
  return std::move(out.bytes());
}

TEST(AttachmentVectors, TheFileHoldsBothVectorsAndNothingElse) {
  EXPECT_EQ(Frozen::Get().size(), Generate().size());
  EXPECT_EQ(Frozen::Get().Str("content_text"), kText);
  EXPECT_EQ(Read(kSpecs[0]).plaintext.size(), 100u) << "a1 is one chunk";
  EXPECT_EQ(Read(kSpecs[1]).plaintext.size(), kBlobChunkBytes + 100) << "a2 is two chunks";
}

TEST(AttachmentVectors, BlobsOpenToTheirPlaintexts) {
  for (const Spec& spec : kSpecs) {
    const Vector v = Read(spec);
    EXPECT_EQ(v.plaintext.size(), v.length) << v.name;
    EXPECT_EQ(PaddedLength(v.length), v.padded_length) << v.name;
    EXPECT_EQ(crypto::Padme(v.length), v.padded_length) << v.name << ": Padmé, no minimum";
    EXPECT_EQ(BlobSize(v.length), v.blob_size) << v.name;
    EXPECT_EQ(v.blob.size(), v.blob_size) << v.name;
    EXPECT_EQ(crypto::Blake2b256(v.blob), v.blob_id) << v.name << ": blob_id = BLAKE2b-256(blob)";
    EXPECT_EQ(crypto::Blake2b256(v.plaintext), v.digest)
        << v.name << ": digest = BLAKE2b-256(plaintext)";
    auto opened = Open(v.Key(), v.blob);
    ASSERT_TRUE(opened.has_value()) << v.name << ": " << opened.error().message();
    EXPECT_EQ(*opened, v.plaintext) << v.name;
  }
  EXPECT_EQ(Read(kSpecs[0]).padded_length, 104u);
  EXPECT_EQ(Read(kSpecs[1]).padded_length, 67584u);
}

// The chunk layout, by hand: header, then chunks of 65,536 padded bytes +
// 17, MESSAGE on all but the last, FINAL on it, the padding zeros.
TEST(AttachmentVectors, ChunksAreMessageThenFinalAndThePaddingIsZeros) {
  for (const Spec& spec : kSpecs) {
    const Vector v = Read(spec);
    ASSERT_EQ(v.blob.size(), v.blob_size) << v.name;
    crypto::SecretStreamHeader header{};
    std::copy_n(v.blob.begin(), header.size(), header.begin());
    auto pull = crypto::SecretStreamPull::Start(v.key, header);
    const size_t chunks = (v.padded_length + kBlobChunkBytes - 1) / kBlobChunkBytes;
    EXPECT_EQ(chunks, std::string_view(spec.prefix) == "a1" ? 1u : 2u) << v.name;
    Bytes padded;
    size_t at = crypto::kSecretStreamHeaderBytes;
    for (size_t i = 0; i < chunks; ++i) {
      const size_t size = std::min<size_t>(kBlobChunkBytes, v.padded_length - padded.size()) +
                          crypto::kSecretStreamOverheadBytes;
      ASSERT_LE(at + size, v.blob.size()) << v.name;
      SecretBytes opened;
      auto tag = pull.Pull(ByteView(v.blob).subspan(at, size), opened);
      ASSERT_TRUE(tag.has_value()) << v.name << " chunk " << i << ": " << tag.error().message();
      EXPECT_EQ(*tag, i + 1 == chunks ? crypto::StreamTag::kFinal : crypto::StreamTag::kMessage)
          << v.name << " chunk " << i;
      padded.insert(padded.end(), opened.Expose().begin(), opened.Expose().end());
      at += size;
    }
    EXPECT_EQ(at, v.blob.size()) << v.name << ": nothing after the final chunk";
    ASSERT_EQ(padded.size(), v.padded_length) << v.name;
    EXPECT_TRUE(std::equal(v.plaintext.begin(), v.plaintext.end(), padded.begin())) << v.name;
    EXPECT_TRUE(std::all_of(padded.begin() + static_cast<std::ptrdiff_t>(v.length), padded.end(),
                            [](uint8_t b) { return b == 0; }))
        << v.name << ": the padding is zeros";
  }
}

TEST(AttachmentVectors, TheContentCarriesThePointerInItsCanonicalEncoding) {
  for (const Spec& spec : kSpecs) {
    const Vector v = Read(spec);
    auto decoded = protocol::DecodeContent(v.content);
    ASSERT_TRUE(decoded.has_value()) << v.name << ": " << decoded.error().message();
    EXPECT_EQ(decoded->text, kText) << v.name;
    ASSERT_EQ(decoded->attachments.size(), 1u) << v.name;
    const protocol::AttachmentPointer& a = decoded->attachments[0];
    EXPECT_EQ(a.blob_id, v.blob_id) << v.name;
    EXPECT_TRUE(std::equal(a.key.Expose().begin(), a.key.Expose().end(), v.key.Expose().begin()))
        << v.name;
    EXPECT_EQ(a.length, v.length) << v.name;
    EXPECT_EQ(a.digest, v.digest) << v.name;
    EXPECT_EQ(a.media_type, v.media_type) << v.name;
    EXPECT_EQ(a.media_type, spec.media_type) << v.name;
    EXPECT_EQ(a.file_name, v.file_name) << v.name;
    EXPECT_EQ(a.file_name, spec.file_name) << v.name;
    EXPECT_TRUE(a.thumbnail.empty()) << v.name;
    EXPECT_EQ(protocol::Describe(a).blob_size, v.blob.size()) << v.name;
    // The same bytes back, from what was decoded and from the file's fields.
    auto again = protocol::EncodeContent(*decoded);
    ASSERT_TRUE(again.has_value()) << v.name << ": " << again.error().message();
    EXPECT_EQ(*again, v.content) << v.name;
    auto built = ContentOf(PointerOf(spec, v.blob_id, v.key, v.length, v.digest));
    ASSERT_TRUE(built.has_value()) << v.name << ": " << built.error().message();
    EXPECT_EQ(*built, v.content) << v.name;
    // And the pointer it decodes to opens the blob.
    const BlobKey key{a.blob_id, a.key.Clone(), a.length, a.digest};
    auto opened = Open(key, v.blob);
    ASSERT_TRUE(opened.has_value()) << v.name << ": " << opened.error().message();
    EXPECT_EQ(*opened, v.plaintext) << v.name;
  }
}

TEST(AttachmentVectors, DamageIsRefusedWithTheDocumentedErrors) {
  for (const Spec& spec : kSpecs) {
    const Vector v = Read(spec);
    ASSERT_GT(v.blob.size(), crypto::kSecretStreamHeaderBytes + 1) << v.name;
    // One byte changed anywhere — header, tag byte, ciphertext, MAC — and
    // a chunk no longer authenticates.
    for (size_t at : {size_t{0}, size_t{23}, size_t{24}, size_t{25}, v.blob.size() / 2,
                      v.blob.size() - 1}) {
      Bytes changed = v.blob;
      changed[at] ^= 0x01;
      auto opened = Open(v.Key(), changed);
      ASSERT_FALSE(opened.has_value()) << v.name << ": a changed byte at " << at;
      EXPECT_EQ(opened.error().code(), Errc::kDecryptFailed) << v.name << " at " << at;
    }
    BlobKey wrong_digest = v.Key();
    wrong_digest.digest[0] ^= 0x01;
    auto opened = Open(wrong_digest, v.blob);
    ASSERT_FALSE(opened.has_value()) << v.name << ": a wrong digest";
    EXPECT_EQ(opened.error().code(), Errc::kFrankingMismatch) << v.name;
    BlobKey wrong_id = v.Key();
    wrong_id.blob_id[31] ^= 0x80;
    opened = Open(wrong_id, v.blob);
    ASSERT_FALSE(opened.has_value()) << v.name << ": a wrong blob_id";
    EXPECT_EQ(opened.error().code(), Errc::kFrankingMismatch) << v.name;
    BlobKey wrong_key = v.Key();
    wrong_key.key.Expose()[0] ^= 0x01;
    opened = Open(wrong_key, v.blob);
    ASSERT_FALSE(opened.has_value()) << v.name << ": another key";
    EXPECT_EQ(opened.error().code(), Errc::kDecryptFailed) << v.name;
    // One byte shorter, the same padded length: the last plaintext byte
    // (not zero in these vectors) would be padding.
    ASSERT_NE(v.plaintext.back(), 0) << v.name;
    ASSERT_EQ(PaddedLength(v.length - 1), v.padded_length) << v.name;
    BlobKey shorter = v.Key();
    shorter.length = v.length - 1;
    opened = Open(shorter, v.blob);
    ASSERT_FALSE(opened.has_value()) << v.name << ": a shorter length";
    EXPECT_EQ(opened.error().code(), Errc::kBadPadding) << v.name;
  }
}

// What does not depend on libsodium's header draw still comes out of the
// generator the same: the key (from its seed), the plaintext, the lengths,
// the digest, and the blob's size.
TEST(AttachmentVectors, TheGeneratorStillMakesTheFrozenKeysAndDigests) {
  for (const Spec& spec : kSpecs) {
    const Vector v = Read(spec);
    const Bytes plaintext = PlaintextOf(spec);
    EXPECT_EQ(plaintext, v.plaintext) << v.name;
    const Sealed s = Seal(spec, plaintext);
    EXPECT_TRUE(std::equal(s.blob.key.Expose().begin(), s.blob.key.Expose().end(),
                           v.key.Expose().begin()))
        << v.name << ": the key is the seed's first draw";
    EXPECT_EQ(s.blob.digest, v.digest) << v.name;
    EXPECT_EQ(s.blob.length, v.length) << v.name;
    EXPECT_EQ(s.bytes.size(), v.blob_size) << v.name;
    EXPECT_NE(s.blob.blob_id, v.blob_id) << v.name << ": a fresh header, another blob";
  }
}

}  // namespace
}  // namespace candor::attachment
