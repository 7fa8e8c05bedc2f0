#include "candor/protocol/device_store.h"

namespace candor::protocol {

Result<int64_t> ReceiveAndStore(DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                                std::string_view account, const Delivery& delivery, uint64_t now,
                                crypto::RandomSource& rng) {
  // The replay marker first: cheaper than a decryption, and it still knows
  // envelopes whose messages have expired since.
  const EnvelopeDigest digest = DigestEnvelope(delivery.envelope_bytes);
  CANDOR_ASSIGN_OR_RETURN(bool seen, store.HasReceived(digest));
  if (seen) return Error(Errc::kDuplicateMessage, "envelope already received");
  CANDOR_ASSIGN_OR_RETURN(auto stored, store.LoadSession(delivery.envelope.sender));
  if (stored) {
    CANDOR_ASSIGN_OR_RETURN(IncomingMessage in, stored->Decrypt(delivery, now, rng));
    return store.CommitReceived(*stored, in, digest, now);
  }
  CANDOR_ASSIGN_OR_RETURN(auto accepted, Session::Accept(identity, account, store, delivery, now, rng));
  return store.CommitReceived(accepted.first, accepted.second, digest, now);
}

}  // namespace candor::protocol
