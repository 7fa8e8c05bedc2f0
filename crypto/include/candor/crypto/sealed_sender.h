// Sealed sender with verifiable reports (DESIGN.md "Sealed sender with
// verifiable reports"): the pieces that let a relay deliver a message without
// learning its sender while a moderator can still learn and verify it.
//
//  - A sender certificate, signed by the directory's Ed25519 key:
//      sig_S = Ed25519_S("candor/sender-cert/v1" || lp(account) || IK || be64(expires_at))
//    It binds an account to a device identity key, never to a message, so
//    message content stays deniable toward third parties.
//  - A one-use moderation token, issued by the moderation service for a key
//    pair the device drew (the service sees only `epk`):
//      x     = XChaCha20-Poly1305(k_M, nonce_t, lp(account) || be64(issued_at),
//                                 ad "candor/token/v1")
//      sig_M = Ed25519_M("candor/token-sig/v1" || nonce_t || lp(x) || epk || be64(expires_at))
//    Only the service (holding k_M) can read whose token it is.
//  - The token's signature over one franking commitment:
//      tsig  = Ed25519_esk("candor/sealed/v1" || c)
//  - The relay's tag without a sender: franking.h's ComputeSealedRelayTag,
//    beside the relay tag it replaces.
//  - The box around a one-to-one sealed message is sealed_box.h's
//    SealedBoxSeal with a RandomSource.
#ifndef CANDOR_CRYPTO_SEALED_SENDER_H_
#define CANDOR_CRYPTO_SEALED_SENDER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kTokenKeyBytes = 32;
inline constexpr size_t kTokenNonceBytes = 24;
// lp(account) || be64(issued_at), sealed: the account is 1..kMaxAccountBytes.
inline constexpr size_t kMinTokenSealedAccountBytes = 2 + 1 + 8 + 16;
inline constexpr size_t kMaxTokenSealedAccountBytes = 2 + kMaxAccountBytes + 8 + 16;

// The moderation service's token key k_M: it never leaves the service.
using TokenKey = SecretArray<kTokenKeyBytes>;
TokenKey GenerateTokenKey(RandomSource& rng);

struct SenderCertificate {
  std::string account;
  Ed25519PublicKey identity_key;
  uint64_t expires_at;  // Unix seconds
  Ed25519Signature signature;
};

// The bytes sig_S covers; kInvalidAccount for a bad account name.
Result<Bytes> SenderCertificateSignedBytes(std::string_view account,
                                           const Ed25519PublicKey& identity_key,
                                           uint64_t expires_at);
Result<SenderCertificate> IssueSenderCertificate(const Ed25519KeyPair& directory,
                                                 std::string_view account,
                                                 const Ed25519PublicKey& identity_key,
                                                 uint64_t expires_at);
// kBadSenderCertificate unless sig_S verifies under `directory` and
// `now` <= expires_at. Whether it names the right sender and key is the
// caller's check (it knows the session).
Result<void> VerifySenderCertificate(const Ed25519PublicKey& directory,
                                     const SenderCertificate& certificate, uint64_t now);

struct ModerationToken {
  std::array<uint8_t, kTokenNonceBytes> nonce;
  Bytes sealed_account;        // x
  Ed25519PublicKey one_use_key;  // epk
  uint64_t expires_at;
  Ed25519Signature signature;  // sig_M
};

// What only the service learns from a token.
struct TokenOwner {
  std::string account;
  uint64_t issued_at;
};

// The bytes sig_M covers.
Result<Bytes> ModerationTokenSignedBytes(const ModerationToken& token);
// The service's side: seal the account the request came from (its
// authenticated channel's), sign the device's one-use key.
Result<ModerationToken> IssueModerationToken(const TokenKey& token_key,
                                             const Ed25519KeyPair& signing_key,
                                             std::string_view account, uint64_t issued_at,
                                             const Ed25519PublicKey& one_use_key,
                                             uint64_t expires_at, RandomSource& rng);
// kBadModerationToken unless sig_M verifies under `service` and
// `now` <= expires_at.
Result<void> VerifyModerationToken(const Ed25519PublicKey& service, const ModerationToken& token,
                                   uint64_t now);
// kBadModerationToken unless x opens under k_M and holds a valid account.
Result<TokenOwner> OpenModerationToken(const TokenKey& token_key, const ModerationToken& token);

// tsig over one commitment (kInvalidArgument unless 32 bytes).
Result<Ed25519Signature> SignSealedCommitment(const Ed25519KeyPair& one_use_key,
                                              ByteView commitment);
// kBadModerationToken unless `signature` is the token key's tsig over `commitment`.
Result<void> VerifySealedCommitment(const Ed25519PublicKey& one_use_key, ByteView commitment,
                                    ByteView signature);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_SEALED_SENDER_H_
