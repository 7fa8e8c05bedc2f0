// The group halves of commands that also serve one-to-one conversations
// (commands_group.cc): send, history and relay pick them by their flags.
#ifndef CANDOR_CLI_COMMANDS_GROUP_H_
#define CANDOR_CLI_COMMANDS_GROUP_H_

#include <string>
#include <string_view>

#include "args.h"
#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"

namespace candor::cli {

// send --group ID --out-dir DIR [--bundles DIR]
Result<std::string> SendToGroup(const Args& args, std::string_view text);
// history --group ID
Result<std::string> GroupHistory(const Args& args, uint64_t limit);
// relay --out-dir DIR: a group envelope, one delivery per recipient.
Result<std::string> RelayGroup(const Args& args, const crypto::RelayKey& key, ByteView envelope,
                               uint64_t time);

}  // namespace candor::cli

#endif  // CANDOR_CLI_COMMANDS_GROUP_H_
