// `candor audit`: an egress log checked against the policy (policy.h).
#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/json.h"
#include "candor/protocol/policy.h"
#include "policy_model.h"

namespace candor::protocol {

namespace {

// The policy's objections to one record; empty if it is allowed.
std::vector<std::string> Objections(const EgressRecord& r) {
  std::vector<std::string> out;
  const auto* d = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(r.message_type);
  if (!internal::IsPolicyMessage(d)) return {r.message_type + " is not a candor message type"};
  const std::string channel(EgressChannelName(r.channel));
  if (!internal::TravelsOn(d, r.channel)) {
    out.push_back(r.message_type + " may not travel on the " + channel + " channel");
  }
  const auto reachable = internal::Reachable(d);
  for (const std::string& name : r.fields) {
    const auto* f = google::protobuf::DescriptorPool::generated_pool()->FindFieldByName(name);
    if (f == nullptr || std::find(reachable.begin(), reachable.end(), f->containing_type()) == reachable.end()) {
      out.push_back(name + " is not a field of " + r.message_type);
    } else if (!internal::HasExposure(f)) {
      out.push_back(name + " has no exposure annotation");
    } else if (!internal::Allows(internal::ExposureOf(f), internal::AudienceFor(r.channel))) {
      out.push_back(name + " may not be seen on the " + channel + " channel");
    }
  }
  return out;
}

}  // namespace

Result<AuditResult> AuditEgressLog(std::string_view log) {
  if (log.size() > kMaxEgressLogBytes) {
    return Error(Errc::kMessageTooLarge, "egress log larger than kMaxEgressLogBytes");
  }
  AuditResult result;
  size_t line_number = 0;
  while (!log.empty()) {
    const size_t end = log.find('\n');
    std::string_view line = log.substr(0, end);
    log.remove_prefix(end == std::string_view::npos ? log.size() : end + 1);
    ++line_number;
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    auto record = EgressRecordFromJson(line);
    if (!record.has_value()) {
      result.violations.push_back(where + record.error().message());
      continue;
    }
    ++result.records;
    for (const std::string& o : Objections(*record)) result.violations.push_back(where + o);
    ChannelSummary& s = result.by_channel[std::string(EgressChannelName(record->channel))];
    ++s.records;
    s.bytes += record->bytes;
    ++s.message_types[record->message_type];
  }
  return result;
}

std::string AuditResultToJson(const AuditResult& result) {
  JsonObject channels;
  for (const auto& [name, s] : result.by_channel) {
    JsonObject types;
    for (const auto& [type, n] : s.message_types) types.UInt(type, n);
    channels.Raw(name, JsonObject().UInt("records", s.records).UInt("bytes", s.bytes)
                           .Raw("message_types", types.Finish()).Finish());
  }
  return JsonObject()
      .UInt("records", result.records)
      .Raw("violations", JsonStringArray(result.violations))
      .Raw("by_channel", channels.Finish())
      .Finish();
}

}  // namespace candor::protocol
