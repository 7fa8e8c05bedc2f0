// The CLI's exit-code contract (docs/cli.md): 0 success, 2 usage, 3 rejected
// input (parse, crypto, franking, duplicate, policy), 4 storage (wrong key,
// not a candor database, locked, not found, already exists), 1 anything
// else. A failure prints {"error":{"code","message"}} on stderr, where
// "code" is the stable Errc name.
#ifndef CANDOR_CLI_EXIT_CODES_H_
#define CANDOR_CLI_EXIT_CODES_H_

#include <string>

#include "candor/crypto/result.h"

namespace candor::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;
inline constexpr int kExitStorage = 4;

int ExitCodeFor(Errc code);
std::string ErrorJson(const Error& error);

}  // namespace candor::cli

#endif  // CANDOR_CLI_EXIT_CODES_H_
