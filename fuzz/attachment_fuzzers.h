// Fuzz targets for attachments (issue 16): the pointers a message's Content
// carries, and the encrypted blob a pointer names.
#ifndef CANDOR_FUZZ_ATTACHMENT_FUZZERS_H_
#define CANDOR_FUZZ_ATTACHMENT_FUZZERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace candor::fuzz {

// Input: a Content. What DecodeContent accepts re-encodes to the input byte
// for byte; DecodeContentText and DescribeAttachments agree with it, and the
// limits hold. What it refuses, DescribeAttachments shows nothing of.
void FuzzAttachmentPointer(const uint8_t* data, size_t size);

// Input: 3 bytes, little-endian, whose low 20 bits are the claimed
// plaintext length (under 1 MiB); the 32-byte plaintext digest; the blob.
// The blob id is the blob's own BLAKE2b-256, so the id check passes and
// mutations reach the chunk, tag and padding checks. DecryptBlob under a
// fixed key either opens exactly `length` bytes with that digest from a
// blob of BlobSize(length) bytes, or refuses with one of its documented
// errors. Seeds (AttachmentBlobSeeds) are real blobs under the fixed key.
void FuzzAttachmentBlob(const uint8_t* data, size_t size);

// Seeds for FuzzAttachmentBlob that decrypt: real blobs made by EncryptBlob
// under the target's fixed key, lengths 0, 1, 100, 65536 (one full chunk),
// 65537, 200000. libsodium draws each blob's stream header itself, so they
// differ from one call to the next.
std::vector<std::vector<uint8_t>> AttachmentBlobSeeds();

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_ATTACHMENT_FUZZERS_H_
