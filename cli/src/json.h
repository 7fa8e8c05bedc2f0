// The CLI's JSON output: one object per command, built field by field.
// Strings are escaped per RFC 8259; bytes that are not UTF-8 (never from
// candor's validated text, but an output must stay valid JSON regardless)
// become U+FFFD.
#ifndef CANDOR_CLI_JSON_H_
#define CANDOR_CLI_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace candor::cli {

std::string JsonQuote(std::string_view text);

class JsonObject {
 public:
  JsonObject& Str(std::string_view key, std::string_view value);
  JsonObject& Int(std::string_view key, int64_t value);
  JsonObject& UInt(std::string_view key, uint64_t value);
  JsonObject& OptUInt(std::string_view key, std::optional<uint64_t> value);  // null if absent
  JsonObject& Bool(std::string_view key, bool value);
  // `json` is already serialized (a nested object or array).
  JsonObject& Raw(std::string_view key, std::string json);
  std::string Finish() const;

 private:
  JsonObject& Add(std::string_view key, std::string json);
  std::string body_;
};

// `items` already serialized.
std::string JsonArray(const std::vector<std::string>& items);
std::string JsonStringArray(const std::vector<std::string>& items);

}  // namespace candor::cli

#endif  // CANDOR_CLI_JSON_H_
