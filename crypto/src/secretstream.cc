#include "candor/crypto/secretstream.h"

#include <sodium.h>

#include "sodium_support.h"

namespace candor::crypto {

static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES == kSecretStreamHeaderBytes);
static_assert(crypto_secretstream_xchacha20poly1305_ABYTES == kSecretStreamOverheadBytes);
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32);

struct SecretStreamPush::State {
  crypto_secretstream_xchacha20poly1305_state s;
  ~State() { sodium_memzero(&s, sizeof s); }
};
struct SecretStreamPull::State {
  crypto_secretstream_xchacha20poly1305_state s;
  ~State() { sodium_memzero(&s, sizeof s); }
};

SecretStreamPush::SecretStreamPush(std::unique_ptr<State> state) : state_(std::move(state)) {}
SecretStreamPush::SecretStreamPush(SecretStreamPush&&) noexcept = default;
SecretStreamPush& SecretStreamPush::operator=(SecretStreamPush&&) noexcept = default;
SecretStreamPush::~SecretStreamPush() = default;

std::pair<SecretStreamPush, SecretStreamHeader> SecretStreamPush::Start(const SecretArray<32>& key) {
  internal::EnsureSodium();
  auto state = std::make_unique<State>();
  SecretStreamHeader header{};
  crypto_secretstream_xchacha20poly1305_init_push(&state->s, header.data(), key.Expose().data());
  return {SecretStreamPush(std::move(state)), header};
}

void SecretStreamPush::Push(ByteView plaintext, StreamTag tag, Bytes& out) {
  const size_t at = out.size();
  out.resize(at + plaintext.size() + kSecretStreamOverheadBytes);
  unsigned long long written = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state_->s, out.data() + at, &written, internal::Ptr(plaintext), plaintext.size(), nullptr, 0,
      tag == StreamTag::kFinal ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                               : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
}

SecretStreamPull::SecretStreamPull(std::unique_ptr<State> state) : state_(std::move(state)) {}
SecretStreamPull::SecretStreamPull(SecretStreamPull&&) noexcept = default;
SecretStreamPull& SecretStreamPull::operator=(SecretStreamPull&&) noexcept = default;
SecretStreamPull::~SecretStreamPull() = default;

SecretStreamPull SecretStreamPull::Start(const SecretArray<32>& key,
                                         const SecretStreamHeader& header) {
  internal::EnsureSodium();
  auto state = std::make_unique<State>();
  // init_pull only copies the header's nonce and derives the state: it
  // cannot fail for a 24-byte header.
  crypto_secretstream_xchacha20poly1305_init_pull(&state->s, header.data(), key.Expose().data());
  return SecretStreamPull(std::move(state));
}

Result<StreamTag> SecretStreamPull::Pull(ByteView chunk, SecretBytes& out) {
  if (chunk.size() < kSecretStreamOverheadBytes) {
    return Error(Errc::kTruncated, "an attachment chunk shorter than its tag");
  }
  out = SecretBytes(chunk.size() - kSecretStreamOverheadBytes);
  unsigned long long length = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_->s, internal::Ptr(out.Expose()), &length,
                                                 &tag, chunk.data(), chunk.size(), nullptr,
                                                 0) != 0) {
    return Error(Errc::kDecryptFailed, "an attachment chunk does not authenticate");
  }
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) return StreamTag::kMessage;
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) return StreamTag::kFinal;
  return StreamTag::kOther;
}

}  // namespace candor::crypto
