// Group messages with Sender Keys (DESIGN.md "Groups (Sender Keys)"): one
// symmetric chain per (group, sending device, epoch), its header hidden, each
// message signed by the sender key's own Ed25519 key.
//
//   mk = KDF(ck, 1, "candorGK"), ck' = KDF(ck, 2, "candorGK")   (crypto_kdf)
//   enc_header = nonce(24) || XChaCha20-Poly1305(HK_G, G || be32(n), ad "candor/ghdr/v1")
//   gad = "candor/gad/v1" || G || IK_sender || lp(sender) || be32(kid) || enc_header || c
//   ciphertext = XChaCha20-Poly1305(mk, nonce = enc_header's nonce, padded Frame, ad = gad)
//   sig = Ed25519(signing key, "candor/gsig/v1" || gad || ciphertext)
//   message = be32(kid) || enc_header || ciphertext || sig
//
// Members share the chain key, so only the signature stops one member from
// writing as another; it covers G and the sender's identity and name. The
// relay sees the kid (to route nothing: it is random) and sizes, never G or n.
//
// Decryption is transactional, as for the ratchet: GroupDecrypt returns the
// plaintext and the successor chain; the caller adopts it only once it has
// accepted the message (padding, Frame, franking commitment).
#ifndef CANDOR_CRYPTO_SENDER_KEY_H_
#define CANDOR_CRYPTO_SENDER_KEY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/skipped_keys.h"

namespace candor::crypto {

inline constexpr size_t kGroupIdBytes = 32;
using GroupId = std::array<uint8_t, kGroupIdBytes>;

// G || be32(n), sealed: nonce(24) + 36 + tag(16).
inline constexpr size_t kGroupHeaderBytes = kGroupIdBytes + 4;
inline constexpr size_t kGroupEncryptedHeaderBytes = 24 + kGroupHeaderBytes + 16;
// kid + encrypted header + body tag + signature, around the padded Frame.
inline constexpr size_t kGroupMessageOverheadBytes = 4 + kGroupEncryptedHeaderBytes + 16 + 64;

// A sender chain at its next iteration: what a SenderKeyDistribution hands
// to a member (ck at the sender's current n, so an added member cannot
// derive earlier message keys).
struct SenderChain {
  GroupId group;
  uint32_t kid;
  uint32_t iteration;          // the next message's n
  SecretArray<32> chain_key;   // ck_n
  SecretArray<32> header_key;  // HK_G, fixed for the key's life

  SenderChain Clone() const {
    return SenderChain{group, kid, iteration, chain_key.Clone(), header_key.Clone()};
  }
};

// This device's own sender key in one group and epoch: it signs.
struct OwnSenderKey {
  SenderChain chain;
  Ed25519KeyPair signing;

  OwnSenderKey Clone() const { return OwnSenderKey{chain.Clone(), signing.Clone()}; }
};

// A member's sender key as this device holds it: it verifies.
struct MemberSenderKey {
  SenderChain chain;
  Ed25519PublicKey signing_public;
  // The first iteration the key never used, once its owner replaced it
  // (SenderKeyDistribution.prev_final_n): later iterations are refused.
  std::optional<uint32_t> final_iteration;
  SkippedKeys skipped;  // one chain, under HK_G

  MemberSenderKey Clone() const {
    return MemberSenderKey{chain.Clone(), signing_public, final_iteration, skipped.Clone()};
  }
};

// Proof that whoever distributes a sender key holds its signing key, bound
// to its owner: Ed25519 by the sender key's signing key over
//   "candor/skd/v1" || G || lp(owner) || IK_owner || be32(kid) || be32(epoch).
// Without it a member could register another's kid and signing key as its
// own first (it receives them in the owner's distribution) and so block the
// owner's. kInvalidAccount for a bad owner name.
Result<Ed25519Signature> SignSenderKeyOwnership(const OwnSenderKey& key, std::string_view owner,
                                                const Ed25519PublicKey& owner_identity,
                                                uint32_t epoch);
// kBadSignature unless `signature` is that proof for this chain's G and kid.
Result<void> VerifySenderKeyOwnership(const SenderChain& chain,
                                      const Ed25519PublicKey& signing_public,
                                      std::string_view owner,
                                      const Ed25519PublicKey& owner_identity, uint32_t epoch,
                                      ByteView signature);

// A fresh sender key for group `group`: random kid, chain key, header key
// and signing key, iteration 0.
OwnSenderKey GenerateSenderKey(const GroupId& group, RandomSource& rng);

// The kid in front of a group message (kTruncated if it is too short to be one).
Result<uint32_t> GroupMessageKid(ByteView message);

// Encrypts a padded Frame as the next message of `key` and advances it.
// `sender_identity` / `sender`: this device's identity key and account;
// `commitment`: the message's group franking commitment. kInvalidAccount;
// kInvalidState once the chain's 2^32 iterations are used (nothing changes).
Result<Bytes> GroupEncrypt(OwnSenderKey& key, const Ed25519PublicKey& sender_identity,
                           std::string_view sender, ByteView commitment, ByteView padded,
                           RandomSource& rng);

struct GroupDecryption {
  SecretBytes plaintext;  // the padded Frame
  uint32_t iteration;     // the message's n
  MemberSenderKey next;   // the successor state; adopt it to commit
};

// Checks, in order, the kid (kInvalidKey if it is not this key's), the
// signature (kBadSignature), the header (kHeaderDecryptFailed; kInvalidEncoding
// if it names another group), the iteration (kDuplicateMessage for one
// already received, kTooManySkipped beyond kMaxGroupSkip, kInvalidState at
// or past the key's final iteration), then the body (kDecryptFailed). `key`
// is never changed; `now` times the skipped keys.
Result<GroupDecryption> GroupDecrypt(const MemberSenderKey& key,
                                     const Ed25519PublicKey& sender_identity,
                                     std::string_view sender, ByteView commitment,
                                     ByteView message, uint64_t now);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_SENDER_KEY_H_
