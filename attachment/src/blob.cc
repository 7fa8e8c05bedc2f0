#include "candor/attachment/blob.h"

#include <algorithm>

#include "candor/crypto/hash.h"
#include "candor/crypto/padme.h"
#include "candor/crypto/secretstream.h"

namespace candor::attachment {
namespace {

using crypto::StreamTag;

// Reads exactly `out.size()` bytes; false if the source ended first.
Result<bool> ReadExact(Source& source, std::span<uint8_t> out) {
  size_t filled = 0;
  while (filled < out.size()) {
    CANDOR_ASSIGN_OR_RETURN(size_t n, source.Read(out.subspan(filled)));
    if (n == 0) return false;
    if (n > out.size() - filled) return Error(Errc::kInternal, "a source read past its buffer");
    filled += n;
  }
  return true;
}

// Whether the source has anything left (it must not).
Result<bool> HasMore(Source& source) {
  uint8_t probe = 0;
  CANDOR_ASSIGN_OR_RETURN(size_t n, source.Read(std::span<uint8_t>(&probe, 1)));
  return n > 0;
}

std::array<uint8_t, 32> Finish(crypto::Blake2b& h) {
  const Bytes d = h.Final();
  std::array<uint8_t, 32> out{};
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}

Result<crypto::Blake2b> Hasher() { return crypto::Blake2b::Create(32); }

uint64_t ChunkCount(uint64_t padded) {
  return padded == 0 ? 1 : (padded + kBlobChunkBytes - 1) / kBlobChunkBytes;
}

Error Cancelled() { return Error(Errc::kCancelled, "the attachment's transfer was cancelled"); }

}  // namespace

// Padmé, as for messages but without their 256-byte minimum.
uint64_t PaddedLength(uint64_t length) { return crypto::Padme(length); }

uint64_t BlobSize(uint64_t length) {
  const uint64_t padded = PaddedLength(length);
  return crypto::kSecretStreamHeaderBytes + padded +
         ChunkCount(padded) * crypto::kSecretStreamOverheadBytes;
}

Result<SealedBlob> EncryptBlob(Source& plaintext, uint64_t length, Sink& blob,
                               crypto::RandomSource& rng, const Progress& progress) {
  if (length > kMaxAttachmentBytes) {
    return Error(Errc::kMessageTooLarge, "an attachment is at most 2 GiB");
  }
  SecretArray<32> key;
  rng.Fill(key.Expose());
  auto [push, header] = crypto::SecretStreamPush::Start(key);
  CANDOR_ASSIGN_OR_RETURN(crypto::Blake2b blob_hash, Hasher());
  CANDOR_ASSIGN_OR_RETURN(crypto::Blake2b digest, Hasher());
  blob_hash.Update(header);
  CANDOR_RETURN_IF_ERROR(blob.Write(header));
  const uint64_t padded = PaddedLength(length);
  const uint64_t chunks = ChunkCount(padded);
  SecretBytes buffer(kBlobChunkBytes);
  Bytes sealed;
  sealed.reserve(kBlobChunkBytes + crypto::kSecretStreamOverheadBytes);
  uint64_t offset = 0;
  for (uint64_t i = 0; i < chunks; ++i) {
    const size_t size = static_cast<size_t>(std::min<uint64_t>(kBlobChunkBytes, padded - offset));
    const size_t real = static_cast<size_t>(std::min<uint64_t>(size, length - std::min(length, offset)));
    std::span<uint8_t> chunk = buffer.Expose().first(size);
    CANDOR_ASSIGN_OR_RETURN(bool full, ReadExact(plaintext, chunk.first(real)));
    if (!full) return Error(Errc::kTruncated, "the attachment ended before its length");
    std::fill(chunk.begin() + static_cast<std::ptrdiff_t>(real), chunk.end(), uint8_t{0});
    digest.Update(chunk.first(real));
    sealed.clear();
    push.Push(chunk, i + 1 == chunks ? StreamTag::kFinal : StreamTag::kMessage, sealed);
    blob_hash.Update(sealed);
    CANDOR_RETURN_IF_ERROR(blob.Write(sealed));
    offset += size;
    if (progress && !progress(offset, padded)) return Cancelled();
  }
  CANDOR_ASSIGN_OR_RETURN(bool more, HasMore(plaintext));
  if (more) return Error(Errc::kTrailingBytes, "the attachment is longer than its length");
  return SealedBlob{Finish(blob_hash), std::move(key), length, Finish(digest), BlobSize(length)};
}

Result<void> DecryptBlob(Source& blob, const BlobKey& key, Sink& plaintext,
                         const Progress& progress) {
  if (key.length > kMaxAttachmentBytes) {
    return Error(Errc::kMessageTooLarge, "an attachment is at most 2 GiB");
  }
  crypto::SecretStreamHeader header{};
  CANDOR_ASSIGN_OR_RETURN(bool have_header, ReadExact(blob, header));
  if (!have_header) return Error(Errc::kTruncated, "the blob ends inside its header");
  auto pull = crypto::SecretStreamPull::Start(key.key, header);
  CANDOR_ASSIGN_OR_RETURN(crypto::Blake2b blob_hash, Hasher());
  CANDOR_ASSIGN_OR_RETURN(crypto::Blake2b digest, Hasher());
  blob_hash.Update(header);
  const uint64_t padded = PaddedLength(key.length);
  const uint64_t chunks = ChunkCount(padded);
  Bytes sealed(kBlobChunkBytes + crypto::kSecretStreamOverheadBytes);
  SecretBytes opened;
  uint64_t offset = 0;
  for (uint64_t i = 0; i < chunks; ++i) {
    const size_t size = static_cast<size_t>(std::min<uint64_t>(kBlobChunkBytes, padded - offset));
    std::span<uint8_t> chunk = std::span<uint8_t>(sealed).first(size + crypto::kSecretStreamOverheadBytes);
    CANDOR_ASSIGN_OR_RETURN(bool full, ReadExact(blob, chunk));
    if (!full) return Error(Errc::kTruncated, "the blob ends before its last chunk");
    blob_hash.Update(chunk);
    CANDOR_ASSIGN_OR_RETURN(StreamTag tag, pull.Pull(chunk, opened));
    const bool last = i + 1 == chunks;
    if (tag != (last ? StreamTag::kFinal : StreamTag::kMessage)) {
      return Error(last ? Errc::kTruncated : Errc::kMalformed,
                   last ? "the blob's last chunk is not marked final"
                        : "a chunk is marked final (or otherwise) before the blob's end");
    }
    const ByteView bytes = opened.Expose();
    const size_t real = static_cast<size_t>(std::min<uint64_t>(size, key.length - std::min(key.length, offset)));
    if (std::any_of(bytes.begin() + static_cast<std::ptrdiff_t>(real), bytes.end(),
                    [](uint8_t b) { return b != 0; })) {
      return Error(Errc::kBadPadding, "the attachment's padding is not zeros");
    }
    digest.Update(bytes.first(real));
    CANDOR_RETURN_IF_ERROR(plaintext.Write(bytes.first(real)));
    offset += size;
    if (progress && !progress(offset, padded)) return Cancelled();
  }
  CANDOR_ASSIGN_OR_RETURN(bool more, HasMore(blob));
  if (more) return Error(Errc::kTrailingBytes, "bytes after the blob's final chunk");
  if (Finish(blob_hash) != key.blob_id) {
    return Error(Errc::kFrankingMismatch, "the blob is not the one the message names (blob id)");
  }
  if (Finish(digest) != key.digest) {
    return Error(Errc::kFrankingMismatch,
                 "the attachment opens to other bytes than the message names (digest)");
  }
  return Ok();
}

}  // namespace candor::attachment
