// Hashes: SHA-256 and BLAKE2b (RFC 7693, libsodium crypto_generichash), the
// latter unkeyed or keyed (a PRF; candor's franking commitments and relay tags
// are keyed BLAKE2b-256).
#ifndef CANDOR_CRYPTO_HASH_H_
#define CANDOR_CRYPTO_HASH_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"

namespace candor::crypto {

inline constexpr size_t kSha256Bytes = 32;
inline constexpr size_t kBlake2b256Bytes = 32;
inline constexpr size_t kBlake2bMinOutputBytes = 16;
inline constexpr size_t kBlake2bMaxOutputBytes = 64;
inline constexpr size_t kBlake2bMinKeyBytes = 16;
inline constexpr size_t kBlake2bMaxKeyBytes = 64;

std::array<uint8_t, kSha256Bytes> Sha256(ByteView message);
// One-shot unkeyed BLAKE2b-256 (replay markers, digests of ciphertexts and
// group changes).
std::array<uint8_t, kBlake2b256Bytes> Blake2b256(ByteView message);

// Incremental BLAKE2b. The key is empty (unkeyed) or 16..64 bytes; the output
// 16..64 bytes. Both are checked by Create.
class Blake2b {
 public:
  static Result<Blake2b> Create(size_t output_bytes, ByteView key = {});
  Blake2b(Blake2b&&) noexcept;
  Blake2b& operator=(Blake2b&&) noexcept;
  ~Blake2b();  // wipes the state (it holds the key)

  void Update(ByteView data);
  // Finishes the hash; the object must not be used afterwards.
  Bytes Final();

 private:
  friend Result<std::array<uint8_t, kBlake2b256Bytes>> Blake2b256Keyed(
      ByteView key, std::initializer_list<ByteView> parts);
  struct State;
  Blake2b(std::unique_ptr<State> state, size_t output_bytes);
  std::unique_ptr<State> state_;
  size_t output_bytes_;
};

// One-shot keyed BLAKE2b-256 over the concatenation of `parts`. The key must
// be 16..64 bytes (kInvalidKey otherwise).
Result<std::array<uint8_t, kBlake2b256Bytes>> Blake2b256Keyed(
    ByteView key, std::initializer_list<ByteView> parts);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_HASH_H_
