#include "support/store_pipeline.h"

namespace candor::testing {

Result<int64_t> ReceiveIntoStore(protocol::DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                                 std::string_view account, const protocol::Delivery& delivery,
                                 uint64_t now, crypto::RandomSource& rng) {
  const auto digest = protocol::DigestEnvelope(delivery.envelope_bytes);
  CANDOR_ASSIGN_OR_RETURN(bool seen, store.HasReceived(digest));
  if (seen) return Error(Errc::kDuplicateMessage, "envelope already received");
  CANDOR_ASSIGN_OR_RETURN(auto stored, store.LoadSession(delivery.envelope.sender));
  if (stored) {
    CANDOR_ASSIGN_OR_RETURN(auto in, stored->Decrypt(delivery, now, rng));
    return store.CommitReceived(*stored, in, digest, now);
  }
  CANDOR_ASSIGN_OR_RETURN(auto accepted,
                          protocol::Session::Accept(identity, account, store, delivery, now, rng));
  return store.CommitReceived(accepted.first, accepted.second, digest, now);
}

}  // namespace candor::testing
