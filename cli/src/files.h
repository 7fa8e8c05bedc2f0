// The CLI's file handling. Inputs are read with a size cap (the decoder's
// own cap then applies). Outputs never appear half-written: they are written
// to a temporary file beside the target, flushed, and renamed over it.
// Every output is created 0600, whatever the umask: previews hold plaintext
// and franking keys, key files keys. Secret files (relay key, moderator
// secret) also never overwrite an existing file; other outputs replace an
// existing file with a new 0600 one.
#ifndef CANDOR_CLI_FILES_H_
#define CANDOR_CLI_FILES_H_

#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor::cli {

// kNotFound if missing; kMessageTooLarge above `cap` bytes. "-"
// (kStdioPath) reads standard input to its end.
Result<Bytes> ReadInputFile(const std::string& path, size_t cap);
Result<SecretBytes> ReadSecretFile(const std::string& path, size_t cap);

// "-" (kStdioPath) writes the bytes to standard output as they are.
Result<void> WriteOutputFile(const std::string& path, ByteView bytes);
// kAlreadyExists if `path` exists.
Result<void> WriteNewSecretFile(const std::string& path, ByteView bytes);

}  // namespace candor::cli

#endif  // CANDOR_CLI_FILES_H_
