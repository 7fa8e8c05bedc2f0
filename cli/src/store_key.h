// The store key, from the environment only: a key on the command line would
// sit in the shell history and in every process listing.
//   CANDOR_DB_KEY      64 hex digits: a raw 32-byte key (from a keystore)
//   CANDOR_PASSPHRASE  a passphrase, stretched with Argon2id
// Exactly one must be set (kInvalidArgument, exit 2, otherwise). The
// variable is removed from the environment once read, so nothing this
// process starts inherits it; the copy in the process's initial environment
// block cannot be wiped portably (POSIX forbids writing through getenv).
#ifndef CANDOR_CLI_STORE_KEY_H_
#define CANDOR_CLI_STORE_KEY_H_

#include "candor/crypto/result.h"
#include "candor/storage/store.h"

namespace candor::cli {

inline constexpr const char* kDbKeyVariable = "CANDOR_DB_KEY";
inline constexpr const char* kPassphraseVariable = "CANDOR_PASSPHRASE";

Result<storage::StoreKey> StoreKeyFromEnvironment();

}  // namespace candor::cli

#endif  // CANDOR_CLI_STORE_KEY_H_
