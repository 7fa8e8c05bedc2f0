#include "candor/crypto/hash.h"

#include <sodium.h>

#include "candor/crypto/secret.h"
#include "sodium_support.h"

namespace candor::crypto {

using internal::Ptr;

static_assert(crypto_hash_sha256_BYTES == kSha256Bytes);
static_assert(crypto_generichash_BYTES_MIN == kBlake2bMinOutputBytes);
static_assert(crypto_generichash_BYTES_MAX == kBlake2bMaxOutputBytes);
static_assert(crypto_generichash_KEYBYTES_MIN == kBlake2bMinKeyBytes);
static_assert(crypto_generichash_KEYBYTES_MAX == kBlake2bMaxKeyBytes);

std::array<uint8_t, kSha256Bytes> Sha256(ByteView message) {
  internal::EnsureSodium();
  std::array<uint8_t, kSha256Bytes> out;
  crypto_hash_sha256(out.data(), Ptr(message), message.size());
  return out;
}

struct Blake2b::State {
  crypto_generichash_state state;
  ~State() { candor::internal::SecureWipe(&state, sizeof state); }
};

Blake2b::Blake2b(std::unique_ptr<State> state, size_t output_bytes)
    : state_(std::move(state)), output_bytes_(output_bytes) {}
Blake2b::Blake2b(Blake2b&&) noexcept = default;
Blake2b& Blake2b::operator=(Blake2b&&) noexcept = default;
Blake2b::~Blake2b() = default;

std::array<uint8_t, kBlake2b256Bytes> Blake2b256(ByteView message) {
  internal::EnsureSodium();
  std::array<uint8_t, kBlake2b256Bytes> out;
  crypto_generichash(out.data(), out.size(), internal::Ptr(message), message.size(), nullptr, 0);
  return out;
}

Result<Blake2b> Blake2b::Create(size_t output_bytes, ByteView key) {
  if (output_bytes < kBlake2bMinOutputBytes || output_bytes > kBlake2bMaxOutputBytes) {
    return Error(Errc::kInvalidArgument, "BLAKE2b output must be 16..64 bytes");
  }
  if (!key.empty() && (key.size() < kBlake2bMinKeyBytes || key.size() > kBlake2bMaxKeyBytes)) {
    return Error(Errc::kInvalidKey, "BLAKE2b key must be empty or 16..64 bytes");
  }
  internal::EnsureSodium();
  // crypto_generichash_state must be 64-byte aligned; operator new honours
  // the type's alignment in C++17 and later.
  auto state = std::make_unique<State>();
  crypto_generichash_init(&state->state, key.empty() ? nullptr : key.data(), key.size(),
                          output_bytes);
  return Blake2b(std::move(state), output_bytes);
}

void Blake2b::Update(ByteView data) {
  crypto_generichash_update(&state_->state, internal::Ptr(data), data.size());
}

Bytes Blake2b::Final() {
  Bytes out(output_bytes_);
  crypto_generichash_final(&state_->state, out.data(), out.size());
  return out;
}

Result<std::array<uint8_t, kBlake2b256Bytes>> Blake2b256Keyed(
    ByteView key, std::initializer_list<ByteView> parts) {
  if (key.size() < kBlake2bMinKeyBytes || key.size() > kBlake2bMaxKeyBytes) {
    return Error(Errc::kInvalidKey, "BLAKE2b key must be 16..64 bytes");
  }
  internal::EnsureSodium();
  Blake2b::State h;  // on the stack: this runs twice per message (franking)
  crypto_generichash_init(&h.state, key.data(), key.size(), kBlake2b256Bytes);
  for (ByteView part : parts) crypto_generichash_update(&h.state, Ptr(part), part.size());
  std::array<uint8_t, kBlake2b256Bytes> out;
  crypto_generichash_final(&h.state, out.data(), out.size());
  return out;
}

}  // namespace candor::crypto
