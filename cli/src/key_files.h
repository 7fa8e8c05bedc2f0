// The relay's and the moderation service's key files. Each is one line,
// "<kind> <hex>\n", so a file can be told apart and checked by eye and a
// moderator key is never taken for a relay key (kInvalidEncoding). Secret
// files are created 0600 and never overwrite an existing file
// (kAlreadyExists): an existing key may be the only copy.
#ifndef CANDOR_CLI_KEY_FILES_H_
#define CANDOR_CLI_KEY_FILES_H_

#include <string>

#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/crypto/x25519.h"

namespace candor::cli {

Result<void> WriteRelayKeyFile(const std::string& path, const crypto::RelayKey& key);
Result<crypto::RelayKey> ReadRelayKeyFile(const std::string& path);

// The secret half to `secret_path` (0600, new), the public half beside it.
Result<void> WriteModeratorKeyFiles(const std::string& secret_path,
                                    const std::string& public_path,
                                    const crypto::X25519KeyPair& pair);
Result<crypto::X25519KeyPair> ReadModeratorSecretFile(const std::string& path);
Result<crypto::X25519PublicKey> ReadModeratorPublicFile(const std::string& path);

}  // namespace candor::cli

#endif  // CANDOR_CLI_KEY_FILES_H_
