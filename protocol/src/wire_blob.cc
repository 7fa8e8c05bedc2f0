// Codecs for the blob store's requests (blob_wire.h).
#include "candor/crypto/limits.h"
#include "candor/protocol/blob_wire.h"
#include "candor/protocol/wire.h"
#include "candor/wire/blob.pb.h"
#include "strict_parse.h"

namespace candor::protocol {

namespace {

// Two 32-byte fields or one varint with their headers, and the version byte.
constexpr size_t kMaxBlobRequestBytes = 64;

// The smallest blob (an empty attachment: header and one empty chunk) to
// the largest (kMaxAttachmentBytes padded, chunked). Padmé grows a length
// by under 12%, so 1.125 × the limit plus the chunk overhead bounds it.
constexpr uint64_t kMinBlobBytes = 24 + 17;
constexpr uint64_t kMaxBlobBytes =
    kMaxAttachmentBytes + kMaxAttachmentBytes / 8 + 17 * (kMaxAttachmentBytes / kBlobChunkBytes + 2) + 24;

Result<void> CheckSize(uint64_t size) {
  if (size < kMinBlobBytes || size > kMaxBlobBytes) {
    return Error(Errc::kFieldOutOfRange, "blob_upload.blob_size is not the size of any attachment's blob");
  }
  return Ok();
}

}  // namespace

Result<Bytes> EncodeBlobUpload(const BlobUpload& upload) {
  CANDOR_RETURN_IF_ERROR(CheckSize(upload.blob_size));
  wire::BlobUpload pb;
  CANDOR_SET_BYTES(pb, blob_id, upload.blob_id);
  pb.set_blob_size(upload.blob_size);
  return internal::Serialize(pb, kWireVersion);
}

Result<BlobUpload> DecodeBlobUpload(ByteView bytes) {
  wire::BlobUpload pb;
  CANDOR_RETURN_IF_ERROR(internal::ParseStrict(bytes, kMaxBlobRequestBytes, kWireVersion, pb));
  CANDOR_ASSIGN_OR_RETURN(auto id, internal::FixedBytes<32>(pb.blob_id(), "blob_upload.blob_id"));
  CANDOR_RETURN_IF_ERROR(CheckSize(pb.blob_size()));
  return BlobUpload{id, pb.blob_size()};
}

Bytes EncodeBlobFetch(const std::array<uint8_t, 32>& blob_id) {
  wire::BlobFetch pb;
  CANDOR_SET_BYTES(pb, blob_id, blob_id);
  return internal::Serialize(pb, kWireVersion);
}

Result<std::array<uint8_t, 32>> DecodeBlobFetch(ByteView bytes) {
  wire::BlobFetch pb;
  CANDOR_RETURN_IF_ERROR(internal::ParseStrict(bytes, kMaxBlobRequestBytes, kWireVersion, pb));
  return internal::FixedBytes<32>(pb.blob_id(), "blob_fetch.blob_id");
}

}  // namespace candor::protocol
