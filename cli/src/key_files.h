// The relay's, the moderation service's and the directory's key files. Each
// is one line, "<kind> <hex>\n", so a file can be told apart and checked by
// eye and a moderator key is never taken for a relay key (kInvalidEncoding).
// Secret files are created 0600 and never overwrite an existing file
// (kAlreadyExists): an existing key may be the only copy.
//
// The moderation service's files hold every key it has (DESIGN.md "Sealed
// sender with verifiable reports"): v2 secret = X25519 report key || Ed25519
// token-signing seed || token key k_M; v2 public = X25519 || Ed25519. v1
// files (the report key alone, from before sealed sender) still seal and
// open reports; what needs the token keys refuses them, saying so.
#ifndef CANDOR_CLI_KEY_FILES_H_
#define CANDOR_CLI_KEY_FILES_H_

#include <optional>
#include <string>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/crypto/x25519.h"

namespace candor::cli {

Result<void> WriteRelayKeyFile(const std::string& path, const crypto::RelayKey& key);
Result<crypto::RelayKey> ReadRelayKeyFile(const std::string& path);

struct ModeratorKeys {
  crypto::X25519KeyPair report_key;  // opens sealed reports
  // Sealed sender's token keys; absent in a v1 file.
  std::optional<crypto::Ed25519KeyPair> token_signing;
  std::optional<crypto::TokenKey> token_key;
};
struct ModeratorPublicKeys {
  crypto::X25519PublicKey report_key;
  std::optional<crypto::Ed25519PublicKey> token_signing;  // absent in a v1 file
};

// The secret half to `secret_path` (0600, new), the public half beside it
// (v2).
Result<void> WriteModeratorKeyFiles(const std::string& secret_path,
                                    const std::string& public_path, const ModeratorKeys& keys);
Result<ModeratorKeys> ReadModeratorSecretFile(const std::string& path);
Result<ModeratorPublicKeys> ReadModeratorPublicFile(const std::string& path);

// The directory's certificate key (Ed25519): the seed, and the public key
// devices pin.
Result<void> WriteDirectoryKeyFiles(const std::string& secret_path,
                                    const std::string& public_path,
                                    const crypto::Ed25519KeyPair& key);
Result<crypto::Ed25519KeyPair> ReadDirectorySecretFile(const std::string& path);
Result<crypto::Ed25519PublicKey> ReadDirectoryPublicFile(const std::string& path);

}  // namespace candor::cli

#endif  // CANDOR_CLI_KEY_FILES_H_
