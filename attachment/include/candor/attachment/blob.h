// Attachments' blobs (DESIGN.md "Attachments"): a plaintext of any bytes
// (up to kMaxAttachmentBytes) padded with zeros to its Padmé length and
// sealed with crypto_secretstream in 64 KiB chunks under a fresh key; the
// blob is the stream's header and its chunks, and is stored by its
// BLAKE2b-256 (blob_id). Both directions stream between a Source and a
// Sink in bounded memory (one chunk), with progress and cancellation.
//
// Decryption writes plaintext to the sink chunk by chunk, each one
// authenticated, but the blob id, the padding and the plaintext digest are
// known to check out only at the end: the sink is a staging area the caller
// commits only when DecryptBlob succeeded (AtomicFileSink, file_io.h), and
// discards otherwise. The pointer lives in protocol/content.h, the blob
// store in blob_store.h (docs/attachments.md).
#ifndef CANDOR_ATTACHMENT_BLOB_H_
#define CANDOR_ATTACHMENT_BLOB_H_

#include <array>
#include <cstdint>
#include <functional>
#include <span>

#include "candor/crypto/bytes.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::attachment {

using BlobId = std::array<uint8_t, 32>;
using PlaintextDigest = std::array<uint8_t, 32>;

// Where bytes come from: Read fills up to `buffer.size()` bytes and returns
// how many (0 only at the end).
class Source {
 public:
  virtual ~Source() = default;
  virtual Result<size_t> Read(std::span<uint8_t> buffer) = 0;
};
// Where bytes go.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual Result<void> Write(ByteView bytes) = 0;
};
// Told after each chunk; returning false stops the work (kCancelled).
using Progress = std::function<bool(uint64_t done, uint64_t total)>;

// Padmé length of the padded plaintext (no minimum bucket), and the blob's
// size: header + chunks of it + 17 bytes per chunk (one empty chunk for an
// empty attachment).
uint64_t PaddedLength(uint64_t length);
uint64_t BlobSize(uint64_t length);

// What the message's pointer needs.
struct SealedBlob {
  BlobId blob_id;
  SecretArray<32> key;
  uint64_t length;
  PlaintextDigest digest;
  uint64_t blob_size;
};

// Reads exactly `length` plaintext bytes from `plaintext` (kTruncated if it
// ends early, kTrailingBytes if it has more), writes the blob to `blob`.
// kMessageTooLarge above kMaxAttachmentBytes; kCancelled if `progress`
// says stop (the blob written so far is then worthless).
Result<SealedBlob> EncryptBlob(Source& plaintext, uint64_t length, Sink& blob,
                               crypto::RandomSource& rng, const Progress& progress = {});

// What a reader knows from the pointer.
struct BlobKey {
  BlobId blob_id;
  SecretArray<32> key;
  uint64_t length;
  PlaintextDigest digest;
};

// Reads the blob from `blob`, writes the `length` plaintext bytes to
// `plaintext`. Refuses (nothing the sink received may be used): a chunk that
// does not authenticate (kDecryptFailed: altered, reordered, another key), a
// chunk marked FINAL (or anything but MESSAGE) before the last (kMalformed),
// a last chunk not marked FINAL or a blob that ends early (kTruncated),
// bytes after FINAL (kTrailingBytes), a padded length
// other than PaddedLength(length) or non-zero padding (kBadPadding), and a
// blob id or plaintext digest other than the pointer's (kFrankingMismatch:
// the pointer, which the franking commitment covers, names another blob or
// another plaintext — a second opening of one blob under another key).
Result<void> DecryptBlob(Source& blob, const BlobKey& key, Sink& plaintext,
                         const Progress& progress = {});

}  // namespace candor::attachment

#endif  // CANDOR_ATTACHMENT_BLOB_H_
