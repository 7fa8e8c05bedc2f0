// The candor command's subcommands. Each returns the one JSON object it
// prints on success; main() prints errors (exit_codes.h). The table lists
// each command's words, flags and one-line usage (docs/cli.md has the rest).
#ifndef CANDOR_CLI_COMMANDS_H_
#define CANDOR_CLI_COMMANDS_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "candor/crypto/result.h"

namespace candor::cli {

using CommandFn = Result<std::string> (*)(const Args& args);

struct Command {
  std::vector<std::string_view> words;  // e.g. {"keygen", "relay"}
  std::vector<FlagSpec> flags;
  CommandFn run;
  std::string_view usage;
};

const std::vector<Command>& Commands();

// Device commands (commands_device.cc).
Result<std::string> RunInit(const Args& args);
Result<std::string> RunBundle(const Args& args);
Result<std::string> RunSend(const Args& args);
Result<std::string> RunAllowClassical(const Args& args);
Result<std::string> RunReceive(const Args& args);
Result<std::string> RunAck(const Args& args);
Result<std::string> RunHistory(const Args& args);
Result<std::string> RunSearch(const Args& args);
Result<std::string> RunFingerprint(const Args& args);
Result<std::string> RunRotatePrekey(const Args& args);
Result<std::string> RunTimer(const Args& args);
Result<std::string> RunPurge(const Args& args);
// Groups (commands_group.cc).
Result<std::string> RunGroupCreate(const Args& args);
Result<std::string> RunGroupAdd(const Args& args);
Result<std::string> RunGroupRemove(const Args& args);
Result<std::string> RunGroupAdmin(const Args& args);
Result<std::string> RunGroupRename(const Args& args);
Result<std::string> RunGroupLeave(const Args& args);
Result<std::string> RunGroups(const Args& args);
// Server-side and key commands (commands_relay.cc).
Result<std::string> RunRelay(const Args& args);
Result<std::string> RunKeygenRelay(const Args& args);
Result<std::string> RunKeygenModerator(const Args& args);
// Reports (commands_report.cc).
Result<std::string> RunReportPrepare(const Args& args);
Result<std::string> RunReportSubmit(const Args& args);
Result<std::string> RunReports(const Args& args);
Result<std::string> RunReportDelete(const Args& args);
Result<std::string> RunIdentity(const Args& args);
Result<std::string> RunTrust(const Args& args);
Result<std::string> RunVerify(const Args& args);
Result<std::string> RunReject(const Args& args);
Result<std::string> RunModerate(const Args& args);

// Attachments and the reference blob store (commands_attachment.cc).
Result<std::string> RunAttachmentSave(const Args& args);
Result<std::string> RunBlobPut(const Args& args);
Result<std::string> RunBlobGet(const Args& args);
Result<std::string> RunBlobExpire(const Args& args);
// Sealed sender's keys and credentials (commands_sealed.cc).
Result<std::string> RunKeygenDirectory(const Args& args);
Result<std::string> RunCertIssue(const Args& args);
Result<std::string> RunCertAdd(const Args& args);
Result<std::string> RunTokensRequest(const Args& args);
Result<std::string> RunTokensIssue(const Args& args);
Result<std::string> RunTokensAdd(const Args& args);
Result<std::string> RunTokens(const Args& args);
Result<std::string> RunPin(const Args& args);
// Metadata policy (commands_policy.cc).
Result<std::string> RunPolicy(const Args& args);
Result<std::string> RunAudit(const Args& args);
// commands_version.cc
Result<std::string> RunVersion(const Args& args);
// demo.cc
Result<std::string> RunDemo(const Args& args);

}  // namespace candor::cli

#endif  // CANDOR_CLI_COMMANDS_H_
