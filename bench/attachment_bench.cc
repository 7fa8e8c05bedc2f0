// Attachments (issue 16): 64 MiB through candor's streaming API — seal into
// a blob, open it back, both digest checks — against its floor, the same
// libsodium calls made straight: crypto_secretstream push and pull in
// 64 KiB chunks, and the four BLAKE2b-256 passes the design makes (the
// plaintext digest and the blob id, at each end). 64 MiB is a Padmé bucket,
// so no padding is added on either side; both write into preallocated
// memory (an app writes to a file), so allocation is not measured.
//
// Like floor_bench.cc, this file calls libsodium directly for the floor.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstring>
#include <vector>

#include "bench_support.h"
#include "candor/attachment/blob.h"
#include "candor/crypto/random.h"

namespace candor::bench {
namespace {

constexpr size_t kStreamBytes = size_t{64} << 20;
constexpr size_t kChunk = 65536;
constexpr size_t kChunkSealed = kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;

std::vector<uint8_t> Plain() {
  std::vector<uint8_t> p(kStreamBytes);
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<uint8_t>(i * 131 + 7);
  return p;
}

// A source over memory, and a sink into a buffer allocated once.
class Reader final : public attachment::Source {
 public:
  explicit Reader(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}
  void Rewind() { at_ = 0; }
  Result<size_t> Read(std::span<uint8_t> buffer) override {
    const size_t n = std::min(buffer.size(), bytes_.size() - at_);
    std::memcpy(buffer.data(), bytes_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  const std::vector<uint8_t>& bytes_;
  size_t at_ = 0;
};

class Writer final : public attachment::Sink {
 public:
  explicit Writer(size_t capacity) : bytes_(capacity) {}
  void Rewind() { size_ = 0; }
  Result<void> Write(ByteView bytes) override {
    if (bytes.size() > bytes_.size() - size_) return Error(Errc::kInternal, "bench sink full");
    std::memcpy(bytes_.data() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
    return Ok();
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  size_t size() const { return size_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t size_ = 0;
};

void BM_AttachmentRoundTrip(benchmark::State& state) {
  const std::vector<uint8_t> plain = Plain();
  crypto::InsecureDeterministicRandom rng(5);
  Reader source(plain);
  Writer blob(attachment::BlobSize(kStreamBytes));
  Writer opened(kStreamBytes);
  for (auto _ : state) {
    source.Rewind();
    blob.Rewind();
    opened.Rewind();
    attachment::SealedBlob sealed = Must(attachment::EncryptBlob(source, kStreamBytes, blob, rng));
    Reader blob_source(blob.bytes());
    Must(attachment::DecryptBlob(
        blob_source,
        attachment::BlobKey{sealed.blob_id, std::move(sealed.key), sealed.length, sealed.digest},
        opened));
    benchmark::DoNotOptimize(opened.bytes().data());
  }
  if (opened.size() != kStreamBytes || std::memcmp(opened.bytes().data(), plain.data(), kStreamBytes) != 0) {
    state.SkipWithError("the round trip changed the bytes");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kStreamBytes));
}
BENCHMARK(BM_AttachmentRoundTrip)->Name("candor/attachment_roundtrip_64MiB")->Unit(benchmark::kMillisecond);

void Blake2b256(const uint8_t* data, size_t size, uint8_t out[32]) {
  crypto_generichash(out, 32, data, size, nullptr, 0);
}

void BM_FloorAttachment(benchmark::State& state) {
  const std::vector<uint8_t> plain = Plain();
  const size_t chunks = kStreamBytes / kChunk;
  std::vector<uint8_t> blob(crypto_secretstream_xchacha20poly1305_HEADERBYTES + chunks * kChunkSealed);
  std::vector<uint8_t> opened(kStreamBytes);
  uint8_t key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  uint8_t digest[32], blob_id[32], check_id[32], check_digest[32];
  bool ok = true;
  for (auto _ : state) {
    crypto_secretstream_xchacha20poly1305_keygen(key);
    Blake2b256(plain.data(), plain.size(), digest);  // sender: the digest
    crypto_secretstream_xchacha20poly1305_state push;
    crypto_secretstream_xchacha20poly1305_init_push(&push, blob.data(), key);
    uint8_t* out = blob.data() + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
    for (size_t i = 0; i < chunks; ++i) {
      const uint8_t tag = i + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                          : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      crypto_secretstream_xchacha20poly1305_push(&push, out + i * kChunkSealed, nullptr,
                                                 plain.data() + i * kChunk, kChunk, nullptr, 0, tag);
    }
    Blake2b256(blob.data(), blob.size(), blob_id);  // sender: the blob id
    Blake2b256(blob.data(), blob.size(), check_id);  // recipient: the blob id
    crypto_secretstream_xchacha20poly1305_state pull;
    crypto_secretstream_xchacha20poly1305_init_pull(&pull, blob.data(), key);
    for (size_t i = 0; i < chunks; ++i) {
      unsigned char tag = 0;
      ok &= crypto_secretstream_xchacha20poly1305_pull(&pull, opened.data() + i * kChunk, nullptr,
                                                       &tag, out + i * kChunkSealed, kChunkSealed,
                                                       nullptr, 0) == 0;
    }
    Blake2b256(opened.data(), opened.size(), check_digest);  // recipient: the digest
    ok &= std::memcmp(blob_id, check_id, 32) == 0 && std::memcmp(digest, check_digest, 32) == 0;
    benchmark::DoNotOptimize(opened.data());
  }
  if (!ok) state.SkipWithError("the floor's round trip failed");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kStreamBytes));
}
BENCHMARK(BM_FloorAttachment)->Name("candor/floor_attachment_64MiB")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace candor::bench
