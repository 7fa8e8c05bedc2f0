#include "candor/protocol/device_store.h"

#include <map>

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

Result<std::vector<Result<int64_t>>> ReceiveBatchAndStore(
    DeviceStore& store, const crypto::Ed25519KeyPair& identity, std::string_view account,
    std::span<const Delivery> deliveries, uint64_t now, crypto::RandomSource& rng) {
  std::vector<Result<int64_t>> results;
  results.reserve(deliveries.size());
  std::map<std::string, Session, std::less<>> sessions;  // advanced in step with the store
  auto receive = [&](const Delivery& d) -> Result<int64_t> {
    const EnvelopeDigest digest = DigestEnvelope(d.envelope_bytes);
    CANDOR_ASSIGN_OR_RETURN(bool seen, store.HasReceived(digest));
    if (seen) return Error(Errc::kDuplicateMessage, "envelope already received");
    auto it = sessions.find(d.envelope.sender);
    if (it == sessions.end()) {
      CANDOR_ASSIGN_OR_RETURN(auto stored, store.LoadSession(d.envelope.sender));
      if (!stored) {
        CANDOR_ASSIGN_OR_RETURN(auto accepted,
                                Session::Accept(identity, account, store, d, now, rng));
        CANDOR_ASSIGN_OR_RETURN(int64_t id,
                                store.CommitReceived(accepted.first, accepted.second, digest, now));
        sessions.emplace(d.envelope.sender, std::move(accepted.first));
        return id;
      }
      it = sessions.emplace(d.envelope.sender, std::move(*stored)).first;
    }
    // Decrypt changes the cached session only on success; if the commit then
    // fails, the cached copy is ahead of the store, so it is dropped.
    CANDOR_ASSIGN_OR_RETURN(IncomingMessage in, it->second.Decrypt(d, now, rng));
    auto id = store.CommitReceived(it->second, in, digest, now);
    if (!id.has_value()) sessions.erase(it);
    return id;
  };
  CANDOR_RETURN_IF_ERROR(store.InTransaction([&]() -> Result<void> {
    for (const Delivery& d : deliveries) results.push_back(receive(d));
    return Ok();
  }));
  return results;
}

}  // namespace candor::protocol
