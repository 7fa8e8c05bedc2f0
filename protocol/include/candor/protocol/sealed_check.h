// The checks of a sealed message (DESIGN.md "Sealed sender with verifiable
// reports"), shared by the recipient and the moderator: opening the box
// around a one-to-one sealed envelope, and judging the proof its Frame
// carries against the keys a device pins.
#ifndef CANDOR_PROTOCOL_SEALED_CHECK_H_
#define CANDOR_PROTOCOL_SEALED_CHECK_H_

#include <cstdint>
#include <string_view>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/wire.h"

namespace candor::protocol {

// The public keys sealed messages are checked under: the directory's
// certificate key and the moderation service's token-signing key.
struct SealedTrust {
  crypto::Ed25519PublicKey directory;
  crypto::Ed25519PublicKey moderation;
};

// What a device receives sealed messages with: the pinned keys, and its
// identity key in X25519 form (Ed25519KeyPair::ToX25519), derived once by
// the caller: it costs a scalar multiplication, a quarter of a sealed
// message's receive if done per message.
struct SealedReceiver {
  SealedTrust trust;
  const crypto::X25519KeyPair& box_key;
};

// A sealed delivery (content type kSealed) opened with this device's
// identity key in X25519 form: the same delivery with the sender, content type and payload
// from the box, and the sealed envelope's bytes kept verbatim (its replay
// marker and a held copy are of those). kDecryptFailed for a box that does
// not open, the box plaintext's decoding errors otherwise.
Result<Delivery> OpenSealedDelivery(const crypto::X25519KeyPair& box_key,
                                    const Delivery& delivery);

// What anyone holding the pins can check of a proof, at the relay's time
// `server_time`: the certificate (kBadSenderCertificate unless signed by the
// directory and unexpired), the token (kBadModerationToken unless signed by
// the service and unexpired) and the token's signature over `commitment`
// (kBadModerationToken).
Result<void> VerifySealedProof(const SealedTrust& trust, const SealedProof& proof,
                               const crypto::FrankingCommitment& commitment,
                               uint64_t server_time);

// The recipient's check: VerifySealedProof, and the certificate names the
// sender the box named and the identity key its session (or first message)
// holds (kBadSenderCertificate). Whether the token was used before is the
// store's check, in the commit (kTokenReused).
Result<void> CheckSealedSender(const SealedTrust& trust, const SealedProof& proof,
                               std::string_view sender,
                               const crypto::Ed25519PublicKey& sender_identity,
                               const crypto::FrankingCommitment& commitment,
                               uint64_t server_time);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_SEALED_CHECK_H_
