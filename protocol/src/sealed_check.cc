#include "candor/protocol/sealed_check.h"

#include "candor/crypto/sealed_box.h"
#include "candor/crypto/sealed_sender.h"

namespace candor::protocol {

Result<Delivery> OpenSealedDelivery(const crypto::X25519KeyPair& box_key,
                                    const Delivery& delivery) {
  const Envelope& env = delivery.envelope;
  if (env.content_type != ContentType::kSealed) {
    return Error(Errc::kInvalidArgument, "not a sealed envelope");
  }
  CANDOR_ASSIGN_OR_RETURN(SecretBytes plaintext, crypto::SealedBoxOpen(box_key, env.payload));
  CANDOR_ASSIGN_OR_RETURN(SealedInner inner, DecodeSealedInner(plaintext.Expose()));
  return Delivery{delivery.envelope_bytes,
                  Envelope{std::move(inner.sender), env.recipient, env.franking_commitment,
                           inner.content_type, std::move(inner.payload)},
                  delivery.server_time, delivery.relay_tag};
}

Result<void> VerifySealedProof(const SealedTrust& trust, const SealedProof& proof,
                               const crypto::FrankingCommitment& commitment,
                               uint64_t server_time) {
  CANDOR_RETURN_IF_ERROR(
      crypto::VerifySenderCertificate(trust.directory, proof.certificate, server_time));
  CANDOR_RETURN_IF_ERROR(crypto::VerifyModerationToken(trust.moderation, proof.token, server_time));
  return crypto::VerifySealedCommitment(proof.token.one_use_key, commitment,
                                        proof.token_signature);
}

Result<void> CheckSealedSender(const SealedTrust& trust, const SealedProof& proof,
                               std::string_view sender,
                               const crypto::Ed25519PublicKey& sender_identity,
                               const crypto::FrankingCommitment& commitment,
                               uint64_t server_time) {
  CANDOR_RETURN_IF_ERROR(VerifySealedProof(trust, proof, commitment, server_time));
  if (proof.certificate.account != sender) {
    return Error(Errc::kBadSenderCertificate,
                 "the sender certificate names another account than the sealed box");
  }
  if (!(proof.certificate.identity_key == sender_identity)) {
    return Error(Errc::kBadSenderCertificate,
                 "the sender certificate names another identity key than the session's");
  }
  return Ok();
}

}  // namespace candor::protocol
