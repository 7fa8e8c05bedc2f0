// A session between this device and one peer: X3DH setup, the header-
// encrypted Double Ratchet, padding and message franking, composed over the
// wire types. Sans-I/O: it takes and returns bytes.
//
// Decrypt is transactional: the session changes only when the whole message
// checks out (header, body, padding, frame, franking commitment, content);
// on any error it is exactly as before. Not thread-safe.
#ifndef CANDOR_PROTOCOL_SESSION_H_
#define CANDOR_PROTOCOL_SESSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/random.h"
#include "candor/crypto/ratchet.h"
#include "candor/crypto/result.h"
#include "candor/crypto/x3dh.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/group_wire.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/wire.h"

namespace candor::protocol {

// The responder keeps a PQXDH ciphertext as its BLAKE2b-256.
inline constexpr size_t kPqCiphertextDigestBytes = 32;

// A PQXDH first message on the responder's last-resort ML-KEM key: what
// the responder remembers to refuse a repeat, as long as the key can open
// first messages (until PurgeExpired deletes it after its retirement).
struct LastResortUse {
  uint32_t signed_prekey_id;
  uint32_t pq_prekey_id;
  crypto::X25519PublicKey ephemeral_key;
};

// Where a responder finds its own prekeys by id (the store implements it).
// The Find* return nullptr for an unknown id, or a one-time prekey already
// consumed; a pointer stays valid until the next call of the same Find*
// (each kind has its own slot) or the end of the store's transaction.
class PrekeySource {
 public:
  virtual ~PrekeySource() = default;
  virtual const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) = 0;
  virtual const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) = 0;
  // An error (kStorageFailed) when the key cannot be read or a stored key
  // fails its checks: not the peer's fault, so not kInvalidKey.
  virtual Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind kind,
                                                              uint32_t id) = 0;
  // Whether this device ever made (and so may have published) an ML-KEM
  // prekey: from then on a classical (X3DH) first message is refused, so an
  // attacker who strips the ML-KEM fields cannot downgrade a session.
  virtual Result<bool> PqRequired() = 0;
  // Whether a first message with these parameters was already accepted.
  virtual Result<bool> LastResortUsed(const LastResortUse& use) = 0;
};

struct OutgoingMessage {
  Bytes envelope;  // version byte + Envelope, for the relay
  Bytes content;   // serialized Content, kept for history and reports
  crypto::FrankingKey franking_key;
  crypto::FrankingCommitment franking_commitment;
  // Sent sealed: the proof the Frame carried (EncodeSealedProof's bytes),
  // kept for reports; empty otherwise.
  Bytes sealed_proof = {};
};

// What a sealed message proves its sender with (DESIGN.md "Sealed sender
// with verifiable reports"): this device's certificate, one unused token
// and the token's one-use key, which signs the message's commitment.
struct SealedCredential {
  const crypto::SenderCertificate& certificate;
  const crypto::ModerationToken& token;
  const crypto::Ed25519KeyPair& one_use_key;
};

struct IncomingMessage {
  std::string sender;
  std::string recipient;
  std::string text;
  Bytes content;  // serialized Content, verbatim (the commitment covers it)
  crypto::FrankingKey franking_key;
  crypto::FrankingCommitment franking_commitment;
  uint64_t server_time;
  crypto::RelayTag relay_tag;
  // Set by Accept: the one-time prekeys this session consumed, which the
  // caller deletes, and the last-resort use it records, in the same
  // transaction that stores the session.
  std::optional<uint32_t> consumed_one_time_prekey;
  std::optional<uint32_t> consumed_pq_one_time_prekey;
  std::optional<LastResortUse> last_resort_use;
  // The content is a GroupControl (group/, protocol/group_wire.h), not a
  // text message: `text` is empty, and it is no message of the history.
  bool group_control = false;
  // Received sealed: the Frame's proof, unchecked by the session (the
  // receive path checks it against the pinned keys: sealed_check.h).
  std::optional<SealedProof> sealed = std::nullopt;
};

class Session {
 public:
  // Initiator: verifies the bundle's signed prekeys, runs PQXDH (X3DH only
  // if the bundle has no ML-KEM prekey and `fallback` allows it, else
  // kPqPrekeyMissing: crypto::X3dhInitiate) and the first ratchet step.
  // Messages carry the setup parameters until the peer answers.
  static Result<Session> Initiate(
      const crypto::Ed25519KeyPair& identity, std::string_view local_account,
      const crypto::PrekeyBundle& bundle, crypto::RandomSource& rng,
      crypto::ClassicalFallback fallback = crypto::ClassicalFallback::kRefuse);

  // Responder: a new session from a delivery carrying a prekey message.
  // Fails with kInvalidKey when the named prekeys are unknown (or a
  // one-time prekey was already used), kPqPrekeyMissing for a classical
  // first message to a device that published ML-KEM prekeys,
  // kDuplicateMessage for a repeated first message on the last-resort
  // ML-KEM key, kWrongPeer when the envelope is not addressed to
  // `local_account`, and any Decrypt error.
  // `sealed`: the delivery came out of a sealed box (sealed_check.h's
  // OpenSealedDelivery), and its Frame must carry a proof; otherwise a
  // proof is refused (kMalformed), as unchecked baggage.
  static Result<std::pair<Session, IncomingMessage>> Accept(
      const crypto::Ed25519KeyPair& identity, std::string_view local_account,
      PrekeySource& prekeys, const Delivery& delivery, uint64_t now, crypto::RandomSource& rng,
      bool sealed = false);

  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;

  // kInvalidState before the responder has received; kInvalidArgument for
  // empty text; kFieldOutOfRange for text that is not UTF-8 or holds a
  // control character other than tab and newline; kMessageTooLarge above
  // kMaxContentBytes. On any of these the session does not advance.
  Result<OutgoingMessage> Encrypt(std::string_view text, crypto::RandomSource& rng);
  // Content as EncodeContent made it (text and attachment pointers);
  // checked again with DecodeContent, so a session never sends what its
  // peer would refuse.
  Result<OutgoingMessage> EncryptEncoded(Bytes content, crypto::RandomSource& rng);
  // The same, sent sealed: the Frame carries the proof (the token signs
  // the commitment), and the envelope names no sender: its payload is a
  // box to the peer's identity key holding the sender and the message.
  // kMessageTooLarge above kMaxSealedContentBytes; the credential is the
  // caller's to check and to use once.
  Result<OutgoingMessage> EncryptSealed(Bytes content, const SealedCredential& credential,
                                        crypto::RandomSource& rng);

  // A group control message (a sender key distribution, a membership
  // change: protocol/group_wire.h), checked once by its maker, to the peer,
  // franked as any message. The result's `content` is empty: a control
  // message is not kept as history, and a distribution holds keys.
  Result<OutgoingMessage> EncryptGroupControl(const CheckedGroupControl& control,
                                              crypto::RandomSource& rng);

  // `now` (Unix seconds) times skipped keys. kWrongPeer, any wire decoding
  // error, ratchet errors, kBadPadding, kFrankingMismatch, and
  // DecodeContentText's errors for content a well-behaved sender cannot
  // produce (empty, control characters, not canonical: frame.h).
  // `sealed` as for Accept.
  Result<IncomingMessage> Decrypt(const Delivery& delivery, uint64_t now,
                                  crypto::RandomSource& rng, bool sealed = false);

  // The local-only format (version byte + candor.local.SessionState), in
  // wiped memory; Deserialize checks every length and limit.
  SecretBytes Serialize() const;
  static Result<Session> Deserialize(ByteView bytes);

  const std::string& local_account() const { return local_account_; }
  const std::string& remote_account() const { return remote_account_; }
  const crypto::Ed25519PublicKey& local_identity() const { return local_identity_; }
  const crypto::Ed25519PublicKey& remote_identity() const { return remote_identity_; }
  bool awaiting_reply() const { return pending_.has_value(); }
  // Whether the session was set up with PQXDH (false: classical X3DH).
  bool post_quantum() const { return post_quantum_; }
  const crypto::RatchetState& ratchet() const { return ratchet_; }

 private:
  struct PendingPrekey {
    crypto::X25519PublicKey ephemeral_key;
    uint32_t signed_prekey_id;
    std::optional<uint32_t> one_time_prekey_id;
    // PQXDH: which ML-KEM prekey, and the ciphertext — whole on the
    // initiator, which resends it until answered; on the responder, which
    // only compares it, its BLAKE2b-256 (kPqCiphertextDigestBytes).
    std::optional<crypto::PqPrekeyKind> pq_kind;
    uint32_t pq_prekey_id = 0;
    Bytes pq_ciphertext;
  };

  Session(std::string local_account, std::string remote_account,
          crypto::Ed25519PublicKey local_identity, crypto::Ed25519PublicKey remote_identity,
          crypto::RatchetState ratchet, bool post_quantum, std::optional<PendingPrekey> pending,
          std::optional<PendingPrekey> accepted = std::nullopt,
          std::optional<crypto::X25519PublicKey> remote_box_key = std::nullopt)
      : local_account_(std::move(local_account)),
        remote_account_(std::move(remote_account)),
        local_identity_(local_identity),
        remote_identity_(remote_identity),
        ratchet_(std::move(ratchet)),
        post_quantum_(post_quantum),
        pending_(std::move(pending)),
        accepted_(std::move(accepted)),
        remote_box_key_(remote_box_key) {}

  Result<OutgoingMessage> EncryptContent(Bytes content, crypto::RandomSource& rng,
                                         const SealedCredential* sealed = nullptr);
  // The ratchet message inside a prekey message, from this session's peer.
  Result<crypto::RatchetCiphertext> PrekeyInner(const Envelope& envelope) const;

  std::string local_account_;
  std::string remote_account_;
  crypto::Ed25519PublicKey local_identity_;
  crypto::Ed25519PublicKey remote_identity_;
  crypto::RatchetState ratchet_;
  bool post_quantum_;
  std::optional<PendingPrekey> pending_;   // initiator: sent until answered
  // Responder: the X3DH parameters this session was accepted from. Later
  // prekey messages must carry exactly these: their fields are not
  // authenticated by the ratchet, so anything else is a tampered copy.
  std::optional<PendingPrekey> accepted_;
  // The peer's identity key in X25519 form, which sealed boxes are sealed
  // to: derived on the first sealed send (crypto_sign_ed25519_pk_to_curve25519
  // costs about a signature check), then kept with the session.
  std::optional<crypto::X25519PublicKey> remote_box_key_;
};

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_SESSION_H_
