// Byte-string vocabulary and the fixed-layout reader/writer.
//
// ByteReader is a cursor in the style of BoringSSL's CBS: every read checks
// the remaining length, and Finish() fails when bytes are left over, so a
// fixed-layout encoding (e.g. the 40-byte ratchet header) is accepted only at
// exactly its size. Integers are big-endian, as everywhere in candor's
// cryptographic encodings; lp(x) is a u16 length followed by x.
#ifndef CANDOR_CRYPTO_BYTES_H_
#define CANDOR_CRYPTO_BYTES_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/result.h"

namespace candor {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// The UTF-8 / ASCII bytes of a string, e.g. a label, without terminator.
inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Copies `bytes` into a fixed-size array, or fails with `code` and
// "<what> must be N bytes" when the length differs (keys, signatures).
template <size_t N>
Result<std::array<uint8_t, N>> ToFixedArray(ByteView bytes, Errc code, std::string_view what) {
  if (bytes.size() != N) {
    return Error(code, std::string(what) + " must be " + std::to_string(N) + " bytes");
  }
  std::array<uint8_t, N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

class ByteReader {
 public:
  explicit ByteReader(ByteView input) : input_(input) {}

  Result<uint8_t> ReadU8();
  Result<uint16_t> ReadBe16();
  Result<uint32_t> ReadBe32();
  Result<uint64_t> ReadBe64();
  // A view into the input (valid as long as the input is).
  Result<ByteView> ReadBytes(size_t count);
  Result<ByteView> ReadLengthPrefixed();  // lp(x)
  template <size_t N>
  Result<std::array<uint8_t, N>> ReadArray() {
    CANDOR_ASSIGN_OR_RETURN(ByteView view, ReadBytes(N));
    std::array<uint8_t, N> out;
    std::copy(view.begin(), view.end(), out.begin());
    return out;
  }

  size_t remaining() const { return input_.size() - offset_; }
  // Succeeds only when every byte has been read.
  Result<void> Finish() const;

 private:
  ByteView input_;
  size_t offset_ = 0;
};

class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(size_t reserve) { out_.reserve(reserve); }

  void PutU8(uint8_t v) { out_.push_back(v); }
  void PutBe16(uint16_t v);
  void PutBe32(uint32_t v);
  void PutBe64(uint64_t v);
  void PutBytes(ByteView data);
  // lp(x); fails (writing nothing) when x is longer than 65535 bytes.
  Result<void> PutLengthPrefixed(ByteView data);

  const Bytes& bytes() const { return out_; }
  Bytes Take() && { return std::move(out_); }

 private:
  Bytes out_;
};

}  // namespace candor

#endif  // CANDOR_CRYPTO_BYTES_H_
