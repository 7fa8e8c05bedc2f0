// JSON output built field by field: the CLI's objects, the egress log and
// the generated policy documents.
// Strings are escaped per RFC 8259; bytes that are not UTF-8 (never from
// candor's validated text, but an output must stay valid JSON regardless)
// become U+FFFD.
#ifndef CANDOR_PROTOCOL_JSON_H_
#define CANDOR_PROTOCOL_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace candor::protocol {

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
// Re-indents compact JSON (as built above) with two spaces, for files people
// read and diff.
std::string JsonPretty(std::string_view compact);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_JSON_H_
