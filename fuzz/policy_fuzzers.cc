#include "policy_fuzzers.h"

#include <string_view>

#include "candor/protocol/egress.h"
#include "candor/protocol/policy.h"
#include "fuzz_check.h"

namespace candor::fuzz {

void FuzzEgressLog(const uint8_t* data, size_t size) {
  const std::string_view log(reinterpret_cast<const char*>(data), size);
  auto audit = protocol::AuditEgressLog(log);
  CANDOR_FUZZ_CHECK(audit.has_value());  // any text gets a verdict
  uint64_t counted = 0;
  for (const auto& [channel, summary] : audit->by_channel) counted += summary.records;
  CANDOR_FUZZ_CHECK(counted == audit->records);

  std::string_view rest = log;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    auto record = protocol::EgressRecordFromJson(line);
    if (!record) continue;
    const std::string printed = protocol::EgressRecordToJson(*record);
    auto again = protocol::EgressRecordFromJson(printed);
    CANDOR_FUZZ_CHECK(again.has_value());
    CANDOR_FUZZ_CHECK(again->time == record->time && again->channel == record->channel &&
                      again->message_type == record->message_type &&
                      again->fields == record->fields && again->bytes == record->bytes);
    CANDOR_FUZZ_CHECK(protocol::EgressRecordToJson(*again) == printed);
  }
}

}  // namespace candor::fuzz
