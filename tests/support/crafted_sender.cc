#include "support/crafted_sender.h"

#include "candor/crypto/franking.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/wire.h"

namespace candor::testing {

Result<Bytes> CraftEnvelope(const protocol::Session& from, ByteView content,
                            crypto::RandomSource& rng, const protocol::SealedProof* proof) {
  const crypto::FrankingKey fk = crypto::GenerateFrankingKey(rng);
  CANDOR_ASSIGN_OR_RETURN(auto commitment,
                          crypto::ComputeFrankingCommitment(fk, from.local_account(),
                                                            from.remote_account(), content));
  CANDOR_ASSIGN_OR_RETURN(SecretBytes padded, protocol::EncodePaddedFrame(content, fk, proof));
  crypto::RatchetState ratchet = from.ratchet().Clone();
  CANDOR_ASSIGN_OR_RETURN(auto ct, crypto::RatchetEncrypt(ratchet, padded.Expose(), commitment, rng));
  CANDOR_ASSIGN_OR_RETURN(Bytes payload, protocol::EncodeRatchetMessage(ct));
  return protocol::EncodeEnvelope(protocol::Envelope{from.local_account(), from.remote_account(),
                                                     commitment,
                                                     protocol::ContentType::kRatchetMessage,
                                                     std::move(payload)});
}

}  // namespace candor::testing
