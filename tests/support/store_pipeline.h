// The receive path a client runs over a DeviceStore (the client issue turns
// it into candor::Client): replay check, the stored session or a new one
// from a prekey message, decrypt, then one CommitReceived.
#ifndef CANDOR_TESTS_SUPPORT_STORE_PIPELINE_H_
#define CANDOR_TESTS_SUPPORT_STORE_PIPELINE_H_

#include "candor/protocol/device_store.h"

namespace candor::testing {

// The new message's id, kDuplicateMessage for an envelope already stored.
Result<int64_t> ReceiveIntoStore(protocol::DeviceStore& store, const crypto::Ed25519KeyPair& identity,
                                 std::string_view account, const protocol::Delivery& delivery,
                                 uint64_t now, crypto::RandomSource& rng);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_STORE_PIPELINE_H_
