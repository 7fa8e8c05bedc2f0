#include "candor/protocol/frame.h"

#include "candor/crypto/padme.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "candor/crypto/limits.h"
#include "candor/wire/content.pb.h"
#include "proto_writer.h"
#include "wire_internal.h"
#include "sealed_internal.h"
#include "strict_parse.h"

namespace candor::protocol {

namespace {

constexpr uint8_t kPadMarker = 0x80;

// The reused parse message for Frames. It holds the plaintext content and
// the franking key, so both buffers are wiped whenever a decode is done.
struct FrameProto {
  wire::Frame& pb = internal::ReusableMessage<wire::Frame>();
  ~FrameProto() {
    internal::WipeStringCapacity(*pb.mutable_content());
    internal::WipeStringCapacity(*pb.mutable_franking_key());
  }
};

}  // namespace

// Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files
// and Communication with PURBs", PETS 2019): keep the top
// floor(log2 E) + 1 bits of the length, E = floor(log2 L), and round the rest
// up. Overhead is at most ~12%, and a length leaks O(log log L) bits.
size_t Padme(size_t length) { return static_cast<size_t>(crypto::Padme(length)); }

Result<size_t> PaddedSize(size_t size, size_t max_bucket) {
  if (size >= max_bucket || Padme(size + 1) > max_bucket) {
    return Error(Errc::kMessageTooLarge, "plaintext does not fit the largest padding bucket");
  }
  return std::max(kMinPaddingBucket, Padme(size + 1));
}

Result<void> internal::CheckCiphertextSize(size_t size) {
  constexpr size_t kTag = 16;
  if (size < kMinPaddingBucket + kTag) {
    return Error(Errc::kBadFieldLength, "ratchet.ciphertext shorter than the smallest bucket");
  }
  auto bucket = PaddedSize(size - kTag - 1);
  if (!bucket.has_value() || *bucket != size - kTag) {
    return Error(Errc::kBadFieldLength, "ratchet.ciphertext is not a padding bucket size");
  }
  return Ok();
}

Result<SecretBytes> Pad(ByteView plaintext, size_t max_bucket) {
  CANDOR_ASSIGN_OR_RETURN(size_t bucket, PaddedSize(plaintext.size(), max_bucket));
  SecretBytes out(bucket);  // zero-filled
  std::copy(plaintext.begin(), plaintext.end(), out.Expose().begin());
  out.Expose()[plaintext.size()] = kPadMarker;
  return out;
}

Result<ByteView> Unpad(ByteView padded, size_t max_bucket) {
  // The plaintext was authenticated before it gets here, so the scan below
  // is no padding oracle.
  if (padded.empty() || !PaddedSize(padded.size() - 1, max_bucket).has_value() ||
      *PaddedSize(padded.size() - 1, max_bucket) != padded.size()) {
    return Error(Errc::kBadPadding, "padded plaintext is not a bucket size");
  }
  size_t end = padded.size();
  // Skip the zero run eight bytes at a time (buckets from 256 bytes up are
  // multiples of 16).
  while (end >= 8) {
    uint64_t word;
    std::memcpy(&word, padded.data() + end - 8, 8);
    if (word != 0) break;
    end -= 8;
  }
  while (end > 0 && padded[end - 1] == 0) --end;
  if (end == 0 || padded[end - 1] != kPadMarker) {
    return Error(Errc::kBadPadding, "padding marker missing");
  }
  return padded.first(end - 1);
}

Result<SecretBytes> EncodePaddedFrame(ByteView content, const crypto::FrankingKey& franking_key,
                                      const SealedProof* sealed) {
  if (content.size() > kMaxContentBytes) {
    return Error(Errc::kMessageTooLarge, "content larger than kMaxContentBytes");
  }
  Bytes proof;
  // The size the bucket is chosen for: a sealed Frame's as if the sender's
  // account were as long as an account can be.
  size_t padded_as = 0;
  if (sealed != nullptr) {
    if (content.size() > kMaxSealedContentBytes) {
      return Error(Errc::kMessageTooLarge,
                   "content larger than kMaxSealedContentBytes (a sealed message carries its "
                   "certificate and token too)");
    }
    CANDOR_ASSIGN_OR_RETURN(proof, EncodeSealedProof(*sealed));
    // Found in review: the proof holds the sender's account twice (the
    // certificate's, and sealed inside the token), so without this the
    // box's bucket would tell short account names from long ones, which
    // the box's padded name exists to hide.
    SealedProof longest = *sealed;
    longest.certificate.account.assign(kMaxAccountBytes, 'a');
    longest.token.sealed_account.resize(crypto::kMaxTokenSealedAccountBytes);
    CANDOR_ASSIGN_OR_RETURN(Bytes longest_proof, EncodeSealedProof(longest));
    padded_as = internal::BytesFieldSize(3, longest_proof.size()) -
                internal::BytesFieldSize(3, proof.size());
  }
  // Frame { content = 1; franking_key = 2; sealed = 3 }, written straight
  // into the padded buffer: no protobuf-owned copy of the franking key to
  // wipe.
  const size_t size = internal::BytesFieldSize(1, content.size()) +
                      internal::BytesFieldSize(2, crypto::kFrankingKeyBytes) +
                      internal::BytesFieldSize(3, proof.size());
  padded_as += size;
  CANDOR_ASSIGN_OR_RETURN(size_t bucket, PaddedSize(padded_as));
  SecretBytes out(bucket);  // zero-filled: the padding after the marker
  internal::ProtoWriter w(out.Expose());
  w.BytesField(1, content);
  w.BytesField(2, franking_key.Expose());
  w.BytesField(3, proof);
  out.Expose()[w.position()] = kPadMarker;
  return out;
}

Result<Frame> DecodePaddedFrame(ByteView padded) {
  CANDOR_ASSIGN_OR_RETURN(ByteView body, Unpad(padded));
  FrameProto frame;
  CANDOR_RETURN_IF_ERROR(
      internal::ParseStrict(body, kMaxPaddedPlaintextBytes, internal::kUnversioned, frame.pb));
  if (frame.pb.content().size() > kMaxContentBytes) {
    return Error(Errc::kFieldOutOfRange, "frame.content larger than kMaxContentBytes");
  }
  if (frame.pb.franking_key().size() != crypto::kFrankingKeyBytes) {
    return Error(Errc::kBadFieldLength, "frame.franking_key must be 32 bytes");
  }
  CANDOR_ASSIGN_OR_RETURN(auto fk, crypto::FrankingKey::CopyFrom(AsBytes(frame.pb.franking_key())));
  std::optional<SealedProof> sealed;
  if (frame.pb.has_sealed()) {
    if (frame.pb.content().size() > kMaxSealedContentBytes) {
      return Error(Errc::kFieldOutOfRange, "sealed frame.content larger than kMaxSealedContentBytes");
    }
    CANDOR_ASSIGN_OR_RETURN(sealed, internal::ReadSealedProof(frame.pb.sealed()));
    // One encoding only: protobuf merges a repeated message field, so a
    // proof could otherwise be put together from pieces. The sealed path is
    // rare enough to afford writing the frame again and comparing.
    CANDOR_ASSIGN_OR_RETURN(SecretBytes again,
                            EncodePaddedFrame(AsBytes(frame.pb.content()), fk, &*sealed));
    if (again.size() != padded.size() ||
        !std::equal(padded.begin(), padded.end(), again.Expose().begin())) {
      return Error(Errc::kMalformed, "sealed frame is not in its canonical encoding");
    }
  }
  return Frame{internal::ToBytes(frame.pb.content()), std::move(fk), std::move(sealed)};
}

}  // namespace candor::protocol
