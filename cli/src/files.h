// The CLI's file handling. Inputs are read with a size cap (the decoder's
// own cap then applies). Outputs never appear half-written: they are written
// to a temporary file beside the target, flushed, and renamed over it.
// Secret files (relay key, moderator secret) are created 0600 and never
// overwrite an existing file.
#ifndef CANDOR_CLI_FILES_H_
#define CANDOR_CLI_FILES_H_

#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::cli {

// kNotFound if missing; kMessageTooLarge above `cap` bytes.
Result<Bytes> ReadInputFile(const std::string& path, size_t cap);
Result<SecretBytes> ReadSecretFile(const std::string& path, size_t cap);

Result<void> WriteOutputFile(const std::string& path, ByteView bytes);
// kAlreadyExists if `path` exists.
Result<void> WriteNewSecretFile(const std::string& path, ByteView bytes);

// Key files are one line, "<kind> <hex>\n", so they can be told apart and
// checked by eye. Kinds below; anything else is kInvalidEncoding.
inline constexpr std::string_view kRelayKeyKind = "candor-relay-key-v1";
inline constexpr std::string_view kModeratorSecretKind = "candor-moderator-secret-v1";
inline constexpr std::string_view kModeratorPublicKind = "candor-moderator-public-v1";

SecretBytes EncodeKeyFile(std::string_view kind, ByteView key);
// The key bytes of a `kind` key file (exactly `size` bytes).
Result<SecretBytes> ReadKeyFile(const std::string& path, std::string_view kind, size_t size);

}  // namespace candor::cli

#endif  // CANDOR_CLI_FILES_H_
