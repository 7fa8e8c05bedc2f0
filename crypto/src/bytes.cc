#include "candor/crypto/bytes.h"

#include <cstring>
#include <limits>
#include <string>

namespace candor {

Result<ByteView> ByteReader::ReadBytes(size_t count) {
  if (count > remaining()) {
    return Error(Errc::kTruncated, "input truncated: needed " + std::to_string(count) +
                                       " bytes, " + std::to_string(remaining()) + " left");
  }
  ByteView out = input_.subspan(offset_, count);
  offset_ += count;
  return out;
}

Result<uint8_t> ByteReader::ReadU8() {
  CANDOR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(1));
  return b[0];
}

Result<uint16_t> ByteReader::ReadBe16() {
  CANDOR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(2));
  return static_cast<uint16_t>((b[0] << 8) | b[1]);
}

Result<uint32_t> ByteReader::ReadBe32() {
  CANDOR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(4));
  uint32_t v = 0;
  for (uint8_t byte : b) v = (v << 8) | byte;
  return v;
}

Result<uint64_t> ByteReader::ReadBe64() {
  CANDOR_ASSIGN_OR_RETURN(ByteView b, ReadBytes(8));
  uint64_t v = 0;
  for (uint8_t byte : b) v = (v << 8) | byte;
  return v;
}

Result<ByteView> ByteReader::ReadLengthPrefixed() {
  // Read the length and the body as one step: on failure the cursor does not
  // stay half-way inside the field.
  const size_t start = offset_;
  CANDOR_ASSIGN_OR_RETURN(uint16_t length, ReadBe16());
  auto body = ReadBytes(length);
  if (!body.has_value()) offset_ = start;
  return body;
}

Result<void> ByteReader::Finish() const {
  if (remaining() != 0) {
    return Error(Errc::kTrailingBytes,
                 std::to_string(remaining()) + " unexpected trailing bytes");
  }
  return Ok();
}

void ByteWriter::PutBytes(ByteView data) {
  // resize + memcpy rather than vector::insert: g++ 12 at -O3 reports a
  // false -Wstringop-overflow for insert into an empty vector.
  if (data.empty()) return;
  const size_t old = out_.size();
  out_.resize(old + data.size());
  std::memcpy(out_.data() + old, data.data(), data.size());
}

void ByteWriter::PutBe16(uint16_t v) {
  PutU8(static_cast<uint8_t>(v >> 8));
  PutU8(static_cast<uint8_t>(v));
}

void ByteWriter::PutBe32(uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) PutU8(static_cast<uint8_t>(v >> shift));
}

void ByteWriter::PutBe64(uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) PutU8(static_cast<uint8_t>(v >> shift));
}

Result<void> ByteWriter::PutLengthPrefixed(ByteView data) {
  if (data.size() > std::numeric_limits<uint16_t>::max()) {
    return Error(Errc::kInvalidArgument, "length-prefixed field longer than 65535 bytes");
  }
  PutBe16(static_cast<uint16_t>(data.size()));
  PutBytes(data);
  return Ok();
}

}  // namespace candor
