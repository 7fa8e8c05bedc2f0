#include "candor/protocol/frame.h"

#include <bit>
#include <cstring>

#include "candor/crypto/limits.h"
#include "candor/wire/content.pb.h"
#include "strict_parse.h"
#include "utf8.h"

namespace candor::protocol {

namespace {

constexpr uint8_t kPadMarker = 0x80;

// Protobuf keeps its own copy of the franking key in a std::string; wipe it
// before the message is destroyed.
struct FrameProto {
  wire::Frame pb;
  ~FrameProto() {
    std::string& fk = *pb.mutable_franking_key();
    candor::internal::SecureWipe(fk.data(), fk.size());
  }
};

}  // namespace

// Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files
// and Communication with PURBs", PETS 2019): keep the top
// floor(log2 E) + 1 bits of the length, E = floor(log2 L), and round the rest
// up. Overhead is at most ~12%, and a length leaks O(log log L) bits.
size_t Padme(size_t length) {
  if (length < 2) return length;
  const size_t e = std::bit_width(length) - 1;
  const size_t s = std::bit_width(e);
  const size_t mask = (size_t{1} << (e - s)) - 1;
  return (length + mask) & ~mask;
}

Result<size_t> PaddedSize(size_t size) {
  if (size >= kMaxPaddedPlaintextBytes) {
    return Error(Errc::kMessageTooLarge, "plaintext does not fit the largest padding bucket");
  }
  return std::max(kMinPaddingBucket, Padme(size + 1));
}

Result<SecretBytes> Pad(ByteView plaintext) {
  CANDOR_ASSIGN_OR_RETURN(size_t bucket, PaddedSize(plaintext.size()));
  SecretBytes out(bucket);  // zero-filled
  std::copy(plaintext.begin(), plaintext.end(), out.Expose().begin());
  out.Expose()[plaintext.size()] = kPadMarker;
  return out;
}

Result<ByteView> Unpad(ByteView padded) {
  // The plaintext was authenticated before it gets here, so the scan below
  // is no padding oracle.
  if (padded.empty() || !PaddedSize(padded.size() - 1).has_value() ||
      *PaddedSize(padded.size() - 1) != padded.size()) {
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

Result<SecretBytes> EncodePaddedFrame(ByteView content, const crypto::FrankingKey& franking_key) {
  if (content.size() > kMaxContentBytes) {
    return Error(Errc::kMessageTooLarge, "content larger than kMaxContentBytes");
  }
  FrameProto frame;
  CANDOR_SET_BYTES(frame.pb, content, content);
  CANDOR_SET_BYTES(frame.pb, franking_key, franking_key.Expose());
  const size_t size = frame.pb.ByteSizeLong();
  CANDOR_ASSIGN_OR_RETURN(size_t bucket, PaddedSize(size));
  SecretBytes out(bucket);
  frame.pb.SerializeWithCachedSizesToArray(out.Expose().data());
  out.Expose()[size] = kPadMarker;
  return out;
}

Result<Frame> DecodePaddedFrame(ByteView padded) {
  CANDOR_ASSIGN_OR_RETURN(ByteView body, Unpad(padded));
  FrameProto frame;
  CANDOR_RETURN_IF_ERROR(
      internal::ParseStrict(body, kMaxPaddedPlaintextBytes, /*versioned=*/false, frame.pb));
  if (frame.pb.content().size() > kMaxContentBytes) {
    return Error(Errc::kFieldOutOfRange, "frame.content larger than kMaxContentBytes");
  }
  if (frame.pb.franking_key().size() != crypto::kFrankingKeyBytes) {
    return Error(Errc::kBadFieldLength, "frame.franking_key must be 32 bytes");
  }
  CANDOR_ASSIGN_OR_RETURN(auto fk, crypto::FrankingKey::CopyFrom(AsBytes(frame.pb.franking_key())));
  return Frame{internal::ToBytes(frame.pb.content()), std::move(fk)};
}

Result<Bytes> EncodeContent(std::string_view text) {
  if (!internal::IsValidUtf8(text)) {
    return Error(Errc::kFieldOutOfRange, "content.text is not valid UTF-8");
  }
  wire::Content pb;
  CANDOR_SET_BYTES(pb, text, text);
  if (pb.ByteSizeLong() > kMaxContentBytes) {
    return Error(Errc::kMessageTooLarge, "content larger than kMaxContentBytes");
  }
  return internal::Serialize(pb, /*versioned=*/false);
}

Result<std::string> DecodeContentText(ByteView content) {
  wire::Content pb;
  CANDOR_RETURN_IF_ERROR(internal::ParseStrict(content, kMaxContentBytes, /*versioned=*/false, pb));
  if (!internal::IsValidUtf8(pb.text())) {
    return Error(Errc::kFieldOutOfRange, "content.text is not valid UTF-8");
  }
  return std::move(*pb.mutable_text());
}

}  // namespace candor::protocol
