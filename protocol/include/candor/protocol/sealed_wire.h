// Codecs for sealed sender (protocol/proto/candor/sealed.proto,
// docs/sealed-sender.md): the sender certificate a directory issues, a
// device's token request and the service's response, the proof a sealed
// message carries in its Frame, and the plaintext of a one-to-one sealed
// box. Decoders run in wire.h's layers; they check lengths and bounds, never
// signatures (that needs the pinned keys: crypto/sealed_sender.h).
#ifndef CANDOR_PROTOCOL_SEALED_WIRE_H_
#define CANDOR_PROTOCOL_SEALED_WIRE_H_

#include <string>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/wire.h"

namespace candor::protocol {

// Version byte + SenderCertificate (directory -> device; the CLI's
// certificate file).
Result<Bytes> EncodeSenderCertificate(const crypto::SenderCertificate& certificate);
Result<crypto::SenderCertificate> DecodeSenderCertificate(ByteView bytes);

// Version byte + TokenRequest: 1..kMaxTokensPerRequest distinct one-use
// public keys.
Result<Bytes> EncodeTokenRequest(const std::vector<crypto::Ed25519PublicKey>& one_use_keys);
Result<std::vector<crypto::Ed25519PublicKey>> DecodeTokenRequest(ByteView bytes);

// Version byte + TokenResponse: 1..kMaxTokensPerRequest tokens.
Result<Bytes> EncodeTokenResponse(const std::vector<crypto::ModerationToken>& tokens);
Result<std::vector<crypto::ModerationToken>> DecodeTokenResponse(ByteView bytes);

// What a sealed message's Frame carries beside the franking key.
struct SealedProof {
  crypto::SenderCertificate certificate;
  crypto::ModerationToken token;
  crypto::Ed25519Signature token_signature;
};
// Unversioned: the Frame's field 3, and a report's.
Result<Bytes> EncodeSealedProof(const SealedProof& proof);
Result<SealedProof> DecodeSealedProof(ByteView bytes);

// The plaintext of a one-to-one sealed box (envelope content type 4):
//   lp(sender) || zeros up to kMaxAccountBytes || inner content type
//   (1 prekey, 2 ratchet) || message
// A fixed layout rather than a protobuf. DESIGN.md fixes lp(sender) ||
// payload; candor pads the name so that the box's size does not reveal its
// length, and adds the byte that tells the recipient how to read the
// payload. Non-zero padding is kMalformed.
struct SealedInner {
  std::string sender;
  ContentType content_type;  // kPrekeyMessage or kRatchetMessage
  Bytes payload;             // an encoded PrekeyMessage or RatchetMessage
};
Result<Bytes> EncodeSealedInner(const SealedInner& inner);
// Also decodes the payload as the type it claims (kMalformed etc.).
Result<SealedInner> DecodeSealedInner(ByteView bytes);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_SEALED_WIRE_H_
