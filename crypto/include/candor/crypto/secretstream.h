// libsodium's crypto_secretstream_xchacha20poly1305, for attachments
// (DESIGN.md "Attachments"): a stream of chunks under one key, each
// authenticated with its position and a tag (MESSAGE or FINAL), so chunks
// cannot be dropped, reordered or truncated unnoticed. No additional data.
// The state lives in wiped memory and is move-only.
#ifndef CANDOR_CRYPTO_SECRETSTREAM_H_
#define CANDOR_CRYPTO_SECRETSTREAM_H_

#include <array>
#include <cstdint>
#include <memory>
#include <utility>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kSecretStreamHeaderBytes = 24;
inline constexpr size_t kSecretStreamOverheadBytes = 17;  // per chunk
using SecretStreamHeader = std::array<uint8_t, kSecretStreamHeaderBytes>;

enum class StreamTag : uint8_t { kMessage, kFinal, kOther };

class SecretStreamPush {
 public:
  // libsodium draws the header's randomness itself (1.0.18 takes no
  // caller-given nonce), so an encryption is not reproducible.
  static std::pair<SecretStreamPush, SecretStreamHeader> Start(const SecretArray<32>& key);
  SecretStreamPush(SecretStreamPush&&) noexcept;
  SecretStreamPush& operator=(SecretStreamPush&&) noexcept;
  ~SecretStreamPush();
  // Appends the sealed chunk (plaintext + 17 bytes) to `out`.
  void Push(ByteView plaintext, StreamTag tag, Bytes& out);

 private:
  struct State;
  explicit SecretStreamPush(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class SecretStreamPull {
 public:
  static SecretStreamPull Start(const SecretArray<32>& key, const SecretStreamHeader& header);
  SecretStreamPull(SecretStreamPull&&) noexcept;
  SecretStreamPull& operator=(SecretStreamPull&&) noexcept;
  ~SecretStreamPull();
  // Opens the next chunk into `out` (resized to its plaintext) and returns
  // its tag; kDecryptFailed if it does not authenticate here (altered,
  // reordered, from another stream or key), kTruncated if shorter than the
  // overhead. After a failure the stream is unusable.
  Result<StreamTag> Pull(ByteView chunk, SecretBytes& out);

 private:
  struct State;
  explicit SecretStreamPull(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_SECRETSTREAM_H_
