// Message franking (DESIGN.md "Message franking"): the sender's commitment to
// a message's content and both addresses, and the relay's tag binding that
// commitment to the sender, recipient and server time. Together they let the
// moderation service check that a reported message was really sent as shown.
//
//   c = BLAKE2b-256(key = fk, "candor/frank/v1" || lp(sender) || lp(recipient) || content)
//   s = BLAKE2b-256(key = K_frank, "candor/relay/v1" || c || lp(sender) || lp(recipient) || be64(ts))
#ifndef CANDOR_CRYPTO_FRANKING_H_
#define CANDOR_CRYPTO_FRANKING_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::crypto {

inline constexpr size_t kFrankingKeyBytes = 32;
inline constexpr size_t kFrankingCommitmentBytes = 32;
inline constexpr size_t kRelayKeyBytes = 32;
inline constexpr size_t kRelayTagBytes = 32;

using FrankingKey = SecretArray<kFrankingKeyBytes>;
using FrankingCommitment = std::array<uint8_t, kFrankingCommitmentBytes>;
using RelayTag = std::array<uint8_t, kRelayTagBytes>;
using RelayKey = SecretArray<kRelayKeyBytes>;

// kInvalidAccount unless 1..kMaxAccountBytes bytes without a control
// character (C0 0x00-0x1F, tab and newline included, or DEL 0x7F).
Result<void> CheckAccount(std::string_view account);

FrankingKey GenerateFrankingKey(RandomSource& rng);

Result<FrankingCommitment> ComputeFrankingCommitment(const FrankingKey& fk,
                                                     std::string_view sender,
                                                     std::string_view recipient,
                                                     ByteView content);
// kFrankingMismatch unless `commitment` is the commitment for these inputs.
Result<void> VerifyFrankingCommitment(const FrankingKey& fk, std::string_view sender,
                                      std::string_view recipient, ByteView content,
                                      ByteView commitment);

// Groups: c = BLAKE2b-256 keyed with fk over "candor/gfrank/v1" ||
// lp(sender) || G || content. The group id, not the recipients, is inside:
// one ciphertext goes to every member, and the relay tags each copy for its
// recipient as for a one-to-one message.
Result<FrankingCommitment> ComputeGroupFrankingCommitment(const FrankingKey& fk,
                                                          std::string_view sender,
                                                          ByteView group_id, ByteView content);
// kFrankingMismatch unless `commitment` is the group commitment for these inputs.
Result<void> VerifyGroupFrankingCommitment(const FrankingKey& fk, std::string_view sender,
                                           ByteView group_id, ByteView content,
                                           ByteView commitment);

RelayKey GenerateRelayKey(RandomSource& rng);

Result<RelayTag> ComputeRelayTag(const RelayKey& key, ByteView commitment,
                                 std::string_view sender, std::string_view recipient,
                                 uint64_t server_time);
// kFrankingMismatch unless `tag` is the relay tag for these inputs.
Result<void> VerifyRelayTag(const RelayKey& key, ByteView commitment,
                            std::string_view sender, std::string_view recipient,
                            uint64_t server_time, ByteView tag);

// Sealed sender's relay tag, which names no sender (DESIGN.md "Sealed
// sender with verifiable reports"):
//   s = BLAKE2b-256(K_frank, "candor/relay-sealed/v1" || c || lp(recipient) || be64(ts))
// `recipient` may be empty (lp = 0x0000: a sealed group message's copy for
// its sender, whom the relay does not know); a non-empty one must be a
// valid account.
Result<RelayTag> ComputeSealedRelayTag(const RelayKey& key, ByteView commitment,
                                       std::string_view recipient, uint64_t server_time);
// kFrankingMismatch unless `tag` is the sealed relay tag for these inputs.
Result<void> VerifySealedRelayTag(const RelayKey& key, ByteView commitment,
                                  std::string_view recipient, uint64_t server_time,
                                  ByteView tag);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_FRANKING_H_
