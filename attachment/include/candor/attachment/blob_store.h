// The reference blob store (beside the reference relay, protocol/relay.h):
// a directory of blobs named by their BLAKE2b-256, what a production blob
// store must do at the least. It refuses bytes that do not hash to the
// name they are uploaded under, keeps each blob `retention` seconds after
// its (last) upload, and answers kNotFound for a blob it no longer has.
//
// It records what a blob store sees (docs/metadata-policy.md): the blob's
// id and padded size, the uploader, the fetchers and the times — in
// DIR/<id>.meta and in the access log DIR/access.log (one JSON line per
// put and get), so the policy's claim can be checked against a real run.
// The accounts it records are the ones the caller says are connected (a
// real store learns them from the connection's credential).
//
// Crash safety: a blob becomes visible only once its bytes are complete,
// checked and synced (AtomicFileSink); a blob without its .meta is not
// served and is swept by Expire.
#ifndef CANDOR_ATTACHMENT_BLOB_STORE_H_
#define CANDOR_ATTACHMENT_BLOB_STORE_H_

#include <memory>
#include <string>
#include <string_view>

#include "candor/attachment/blob.h"
#include "candor/crypto/limits.h"

namespace candor::attachment {

class BlobStore {
 public:
  // Creates `dir` (0700) when absent, unless `create` is false (a reader's
  // typo must not look like an empty store): kNotFound then.
  // kInvalidArgument for a zero retention.
  static Result<BlobStore> Open(std::string dir,
                                uint64_t retention_seconds = kDefaultBlobRetentionSeconds,
                                bool create = true);

  // Streams `blob` (exactly `blob_size` bytes) into the store as `id`.
  // `uploader` (and `fetcher` below) is an account name (UTF-8, at most
  // kMaxAccountBytes) or empty; kInvalidAccount otherwise.
  // kMalformed when the bytes do not hash to `id` or their count is not
  // `blob_size` (nothing is kept then); kFieldOutOfRange for a size no
  // attachment's blob has. Uploading a blob the store has renews it.
  Result<void> Put(const BlobId& id, uint64_t blob_size, Source& blob,
                   std::string_view uploader, uint64_t now);
  // The blob, to stream to `fetcher`; kNotFound when the store does not
  // have it, or no longer (past its retention, swept or not).
  Result<std::unique_ptr<Source>> Get(const BlobId& id, std::string_view fetcher, uint64_t now);
  // Deletes the blobs past their retention, and leftovers of interrupted
  // uploads once they are an hour old by their modification time (an
  // upload in progress is younger); returns how many blobs went.
  Result<size_t> Expire(uint64_t now);

  const std::string& dir() const { return dir_; }
  uint64_t retention_seconds() const { return retention_; }

 private:
  BlobStore(std::string dir, uint64_t retention) : dir_(std::move(dir)), retention_(retention) {}
  std::string PathOf(const BlobId& id, std::string_view suffix) const;
  Result<uint64_t> UploadedAt(const BlobId& id) const;
  Result<void> Log(std::string_view op, const BlobId& id, std::string_view account, uint64_t now,
                   uint64_t bytes) const;

  std::string dir_;
  uint64_t retention_;
};

}  // namespace candor::attachment

#endif  // CANDOR_ATTACHMENT_BLOB_STORE_H_
