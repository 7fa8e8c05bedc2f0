// The metadata exposure policy as documents, and audits of egress logs
// against it (docs/metadata-policy.md). Both read the compiled descriptors
// of candor's .proto files (their privacy annotations) and policy.textproto,
// which is compiled into the library.
#ifndef CANDOR_PROTOCOL_POLICY_H_
#define CANDOR_PROTOCOL_POLICY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/result.h"

namespace candor::protocol {

enum class PolicyFormat { kJson, kMarkdown };

// policy/metadata.json and policy/METADATA.md are exactly these (a test
// fails when the committed files are stale).
Result<std::string> GeneratePolicy(PolicyFormat format);

struct ChannelSummary {
  uint64_t records = 0;
  uint64_t bytes = 0;
  std::map<std::string, uint64_t> message_types;  // type -> records
};

struct AuditResult {
  uint64_t records = 0;
  std::vector<std::string> violations;  // "line N: …"
  std::map<std::string, ChannelSummary> by_channel;
};

// Checks every line of an egress log: it parses; its message type may
// travel on its channel; every field it lists exists, belongs to that
// message (or one nested or carried in it), and may be seen on that
// channel. Empty lines are skipped. kMessageTooLarge above kMaxEgressLogBytes.
Result<AuditResult> AuditEgressLog(std::string_view log);
std::string AuditResultToJson(const AuditResult& result);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_POLICY_H_
