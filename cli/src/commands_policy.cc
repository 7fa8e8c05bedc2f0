// policy and audit: the metadata policy as documents, and egress logs
// checked against it (docs/metadata-policy.md).
#include <cstdio>

#include "candor/crypto/limits.h"
#include "candor/protocol/policy.h"
#include "commands.h"
#include "files.h"

namespace candor::cli {

Result<std::string> RunPolicy(const Args& args) {
  const std::string& format = args.Get("format");
  if (format != "json" && format != "markdown") {
    return UsageError("--format must be json or markdown");
  }
  CANDOR_ASSIGN_OR_RETURN(std::string doc, protocol::GeneratePolicy(format == "json"
                                                                        ? protocol::PolicyFormat::kJson
                                                                        : protocol::PolicyFormat::kMarkdown));
  if (!doc.empty() && doc.back() == '\n') doc.pop_back();  // main adds one
  return doc;
}

Result<std::string> RunAudit(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(Bytes log, ReadInputFile(args.Get("log"), kMaxEgressLogBytes));
  CANDOR_ASSIGN_OR_RETURN(
      protocol::AuditResult result,
      protocol::AuditEgressLog(std::string_view(reinterpret_cast<const char*>(log.data()), log.size())));
  std::string json = protocol::AuditResultToJson(result);
  if (!result.violations.empty()) {
    // The one failure that also prints on stdout: the summary is what the
    // auditor wants; the error object on stderr and exit 3 say that the log
    // breaks the policy.
    std::fputs((json + "\n").c_str(), stdout);
    return Error(Errc::kPolicyViolation, std::to_string(result.violations.size()) +
                                             " record(s) break the metadata policy");
  }
  return json;
}

}  // namespace candor::cli
