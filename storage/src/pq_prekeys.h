// Private to storage/: the PQXDH rows CommitReceived writes with a new
// session (store_pq.cc holds the rest of the ML-KEM prekey store).
#ifndef CANDOR_STORAGE_SRC_PQ_PREKEYS_H_
#define CANDOR_STORAGE_SRC_PQ_PREKEYS_H_

#include "candor/crypto/result.h"
#include "candor/protocol/session.h"
#include "sqlite.h"

namespace candor::storage::internal {

// Deletes the one-time ML-KEM prekey `m` consumed and records its
// last-resort use, if any; a no-op for a message that started no session.
// Runs inside CommitReceived's transaction, after its refusals.
Result<void> RecordPqPrekeyUse(Database& db, const protocol::IncomingMessage& m);

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_PQ_PREKEYS_H_
