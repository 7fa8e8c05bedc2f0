// X3DH session setup (DESIGN.md "Keys and session setup"), initiator A and
// responder B:
//   DH1 = DH(IK_A, SPK_B)  DH2 = DH(EK_A, IK_B)  DH3 = DH(EK_A, SPK_B)  [DH4 = DH(EK_A, OPK_B)]
//   SK || HK_AB || NHK_BA = HKDF-SHA256(salt = 0^32, ikm = 0xFF^32 || DH1 || DH2 || DH3 [|| DH4],
//                                       info = "candor/x3dh/v1", L = 96)
//   AD = "candor/ad/v1" || IK_A || IK_B || lp(account_A) || lp(account_B)
// Identity keys are Ed25519; their X25519 forms do the DH. The signed
// prekey's signature is checked before any DH uses it.
//
// PQXDH (DESIGN.md "Post-quantum session setup"): the bundle adds a signed
// ML-KEM-768 prekey (last resort) and optionally a one-time one; the
// initiator encapsulates to the one-time key if there is one, else to the
// last-resort key, and the shared secret ss joins the HKDF input:
//   ikm = 0xFF^32 || DH1 || DH2 || DH3 [|| DH4] || ss, info = "candor/pqxdh/v1"
// Breaking a PQXDH session needs both X25519 and ML-KEM broken.
#ifndef CANDOR_CRYPTO_X3DH_H_
#define CANDOR_CRYPTO_X3DH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/mlkem.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/x25519.h"

namespace candor::crypto {

// Signature = Ed25519(IK, "candor/spk/v1" || be32(id) || spk_pub).
Ed25519Signature SignSignedPrekey(const Ed25519KeyPair& identity, uint32_t id,
                                  const X25519PublicKey& spk);
// kBadPrekeySignature unless the signature verifies.
Result<void> VerifySignedPrekey(const Ed25519PublicKey& identity, uint32_t id,
                                const X25519PublicKey& spk, ByteView signature);

// Which ML-KEM prekey a first message used (its wire value).
enum class PqPrekeyKind : uint8_t { kLastResort = 1, kOneTime = 2 };

// An ML-KEM-768 prekey as a bundle publishes it. Signature = Ed25519(IK,
// label || be32(id) || pk), label "candor/pqspk/v1" for the signed
// last-resort key and "candor/pqopk/v1" for a one-time key, so one kind's
// signature never passes for the other.
struct SignedPqPrekey {
  uint32_t id;
  MlKem768PublicKey key;
  Ed25519Signature signature;
};

Ed25519Signature SignPqPrekey(const Ed25519KeyPair& identity, PqPrekeyKind kind, uint32_t id,
                              const MlKem768PublicKey& key);
// kBadPrekeySignature unless the signature verifies.
Result<void> VerifyPqPrekey(const Ed25519PublicKey& identity, PqPrekeyKind kind, uint32_t id,
                            const MlKem768PublicKey& key, ByteView signature);

// The public half of a device's prekeys, as fetched by an initiator.
struct PrekeyBundle {
  std::string account;
  Ed25519PublicKey identity_key;
  uint32_t signed_prekey_id;
  X25519PublicKey signed_prekey;
  Ed25519Signature signed_prekey_signature;
  std::optional<uint32_t> one_time_prekey_id;
  std::optional<X25519PublicKey> one_time_prekey;
  // PQXDH; a bundle from a device before PQXDH has neither.
  std::optional<SignedPqPrekey> pq_signed_prekey;
  std::optional<SignedPqPrekey> pq_one_time_prekey;  // only with pq_signed_prekey
};

// Every signature a bundle carries (the signed prekey's, and each ML-KEM
// prekey's under its own label), and that a one-time ML-KEM prekey comes
// only with the signed one: kBadPrekeySignature / kPqPrekeyMissing. What
// X3dhInitiate checks first; also for a bundle that only records a changed
// identity key.
Result<void> VerifyPrekeyBundle(const PrekeyBundle& bundle);

// Whether an initiator may fall back to X3DH when a bundle has no ML-KEM
// prekey. Only the embedder decides it, per peer; nothing in the bundle
// does (a stripped bundle must not downgrade the session).
enum class ClassicalFallback : uint8_t { kRefuse, kAllow };

// The ML-KEM part of a first message: which prekey, and the ciphertext.
struct PqPrekeyUse {
  PqPrekeyKind kind;
  uint32_t id;
  Bytes ciphertext;  // kMlKem768CiphertextBytes
};

// What both sides derive. hk_ab: A's first sending header key; nhk_ba: B's
// first sending header key (A's next receiving one).
struct X3dhSecrets {
  SecretArray<32> shared_key;
  SecretArray<32> hk_ab;
  SecretArray<32> nhk_ba;
  Bytes associated_data;
};

// What the initiator sends in its first (prekey) message besides the
// ratchet message, and the secrets it derived.
struct X3dhInitiation {
  X3dhSecrets secrets;
  X25519PublicKey ephemeral_key;
  uint32_t signed_prekey_id;
  std::optional<uint32_t> one_time_prekey_id;
  std::optional<PqPrekeyUse> pq;  // set for PQXDH
};

// AD = "candor/ad/v1" || IK_A || IK_B || lp(account_A) || lp(account_B);
// kInvalidAccount for an account name outside its bounds. Also what a
// stored session's AD must equal (protocol/ checks it on load).
Result<Bytes> X3dhAssociatedData(const Ed25519PublicKey& ik_a, const Ed25519PublicKey& ik_b,
                                 std::string_view account_a, std::string_view account_b);

// Initiator A, from B's bundle: PQXDH when the bundle has a signed ML-KEM
// prekey, else X3DH if `fallback` allows it, else kPqPrekeyMissing. Every
// signature is checked first (VerifyPrekeyBundle): an ML-KEM prekey that is
// there but badly signed is kBadPrekeySignature, whatever `fallback` says.
// Also kInvalidAccount, kInvalidKey (identity key without X25519 form) or
// kWeakKey (any DH all zero).
Result<X3dhInitiation> X3dhInitiate(RandomSource& rng, const Ed25519KeyPair& identity,
                                    std::string_view account, const PrekeyBundle& bundle,
                                    ClassicalFallback fallback = ClassicalFallback::kRefuse);

// Responder B, on A's prekey message. The caller looks up the signed and
// one-time prekeys by the ids the message names, and deletes the one-time
// prekey only once the first message has decrypted. With `pq_prekey`
// (PQXDH) the ciphertext is decapsulated into the derivation
// (kInvalidArgument for a wrong length, or for a key without a ciphertext
// or the other way round; a tampered ciphertext gives the rejection key,
// so the first message fails to decrypt).
Result<X3dhSecrets> X3dhRespond(const Ed25519KeyPair& identity, std::string_view account,
                                const X25519KeyPair& signed_prekey,
                                const X25519KeyPair* one_time_prekey,
                                const Ed25519PublicKey& initiator_identity,
                                std::string_view initiator_account,
                                const X25519PublicKey& initiator_ephemeral,
                                const MlKem768KeyPair* pq_prekey = nullptr,
                                ByteView pq_ciphertext = {});

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_X3DH_H_
