// The Double Ratchet with header encryption (Perrin & Marlinspike, rev. 1,
// section 4), instantiated as DESIGN.md fixes:
//   KDF_RK(rk, dh) = HKDF-SHA256(salt = rk, ikm = dh, info = "candor/ratchet/root/v1", L = 96)
//                    -> rk' || ck || nhk
//   KDF_CK(ck)     = mk = crypto_kdf(ck, id 1, "candorCK"), ck' = crypto_kdf(ck, id 2, "candorCK")
//   header         = dh_pub(32) || be32(pn) || be32(n), sealed under the header key
//                    with a random nonce, ad "candor/hdr/v1" -> 80 bytes
//   body           = XChaCha20-Poly1305(mk, zero nonce,
//                    ad = AD || encrypted_header || franking_commitment)
//
// Decryption is a pure function of the current state: it returns the
// plaintext and the successor state, and the caller adopts the successor only
// once everything else (e.g. the franking check) has succeeded. Any failure
// therefore leaves the caller's state exactly as it was.
#ifndef CANDOR_CRYPTO_RATCHET_H_
#define CANDOR_CRYPTO_RATCHET_H_

#include <array>
#include <cstdint>
#include <optional>

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/skipped_keys.h"
#include "candor/crypto/x25519.h"
#include "candor/crypto/x3dh.h"

namespace candor::crypto {

inline constexpr size_t kRatchetHeaderBytes = 40;
inline constexpr size_t kEncryptedHeaderBytes = 80;

using EncryptedHeader = std::array<uint8_t, kEncryptedHeaderBytes>;

struct RatchetHeader {
  X25519PublicKey dh;
  uint32_t pn;  // messages in the sender's previous sending chain
  uint32_t n;   // index of this message in the sending chain

  std::array<uint8_t, kRatchetHeaderBytes> Encode() const;
  // Exactly 40 bytes; kTruncated / kTrailingBytes otherwise.
  static Result<RatchetHeader> Decode(ByteView bytes);
};

// The spec's state variables. Public members so the protocol layer can
// serialise them into the local-only session format; nothing else should
// touch them directly.
struct RatchetState {
  Bytes associated_data;                      // AD from X3DH
  X25519KeyPair dh_self;                      // DHs
  std::optional<X25519PublicKey> dh_remote;   // DHr
  SecretArray<32> root_key;                   // RK
  std::optional<SecretArray<32>> send_chain;  // CKs
  std::optional<SecretArray<32>> recv_chain;  // CKr
  std::optional<SecretArray<32>> send_header_key;  // HKs
  std::optional<SecretArray<32>> recv_header_key;  // HKr
  SecretArray<32> next_send_header_key;       // NHKs
  SecretArray<32> next_recv_header_key;       // NHKr
  uint32_t send_n = 0;                        // Ns
  uint32_t recv_n = 0;                        // Nr
  uint32_t prev_send_n = 0;                   // PN
  SkippedKeys skipped;                        // MKSKIPPED

  RatchetState Clone() const;
};

// Initiator (Alice): her first DH step against Bob's signed prekey. Fails
// with kWeakKey if that prekey is a low-order point.
Result<RatchetState> RatchetInitInitiator(X3dhSecrets secrets,
                                          const X25519PublicKey& remote_signed_prekey,
                                          RandomSource& rng);
// Responder (Bob): his ratchet key pair starts as his signed prekey. He can
// send only after the first message from Alice has been decrypted.
RatchetState RatchetInitResponder(X3dhSecrets secrets, X25519KeyPair signed_prekey);

struct RatchetCiphertext {
  EncryptedHeader header;
  Bytes body;  // ciphertext || 16-byte tag
};

// Advances the sending chain. `commitment` (the franking commitment) is bound
// into the body's associated data. kInvalidState when no sending chain exists
// yet (a responder that has not received) or the counter is exhausted.
Result<RatchetCiphertext> RatchetEncrypt(RatchetState& state, ByteView plaintext,
                                         ByteView commitment, RandomSource& rng);

struct RatchetDecryption {
  // A constructor, not only aggregate init, so Result can build it in place
  // on clang-14 (no parenthesized aggregate initialization there).
  RatchetDecryption(SecretBytes&& p, RatchetState&& n)
      : plaintext(std::move(p)), next(std::move(n)) {}

  SecretBytes plaintext;
  RatchetState next;  // adopt only when the caller accepts the message
};

// Errors: kHeaderDecryptFailed (no header key opens it), kInvalidEncoding
// (authentic header of the wrong shape), kDuplicateMessage (key already used
// or expired), kTooManySkipped (jump beyond kMaxSkip), kWeakKey (low-order
// ratchet key), kDecryptFailed (body). `now` is the caller's clock (Unix
// seconds), used to time-stamp and expire skipped keys.
Result<RatchetDecryption> RatchetDecrypt(const RatchetState& state, ByteView encrypted_header,
                                         ByteView body, ByteView commitment, uint64_t now,
                                         RandomSource& rng);

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_RATCHET_H_
