// The blob store's requests (protocol/proto/candor/blob.proto): an upload
// names the blob it is followed by, a fetch names the blob it wants. Both
// are what the egress guard checks on the blob channel; the blob's bytes
// themselves are ciphertext the store checks against blob_id.
#ifndef CANDOR_PROTOCOL_BLOB_WIRE_H_
#define CANDOR_PROTOCOL_BLOB_WIRE_H_

#include <array>
#include <cstdint>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"

namespace candor::protocol {

struct BlobUpload {
  std::array<uint8_t, 32> blob_id;
  uint64_t blob_size;
};

// kFieldOutOfRange for a size no attachment's blob can have.
Result<Bytes> EncodeBlobUpload(const BlobUpload& upload);
// Layers, then kBadFieldLength for an id other than 32 bytes and
// kFieldOutOfRange for a size no attachment's blob can have.
Result<BlobUpload> DecodeBlobUpload(ByteView bytes);
Bytes EncodeBlobFetch(const std::array<uint8_t, 32>& blob_id);
Result<std::array<uint8_t, 32>> DecodeBlobFetch(ByteView bytes);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_BLOB_WIRE_H_
