#include "args.h"

#include <charconv>

namespace candor::cli {

Error UsageError(std::string message) { return Error(Errc::kInvalidArgument, std::move(message)); }

Result<Args> Args::Parse(std::span<const std::string_view> argv, std::span<const FlagSpec> spec) {
  Args args;
  bool reads_stdin = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string_view word = argv[i];
    if (word.size() < 3 || word.substr(0, 2) != "--") {
      return UsageError("unexpected argument '" + std::string(word) + "'");
    }
    const std::string_view name = word.substr(2);
    const FlagSpec* flag = nullptr;
    for (const FlagSpec& f : spec) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) return UsageError("unknown flag --" + std::string(name));
    if (args.Has(name) && !flag->repeatable) {
      return UsageError("--" + std::string(name) + " given twice");
    }
    std::string value;
    if (flag->takes_value) {
      if (i + 1 >= argv.size()) return UsageError("--" + std::string(name) + " needs a value");
      value = std::string(argv[++i]);
    }
    if (value == kStdioPath && flag->stdio != Stdio::kNone) {
      // Two flags on one stream would interleave or split its bytes.
      const bool out = flag->stdio == Stdio::kOut;
      if (out ? args.writes_stdout_ : reads_stdin) {
        return UsageError(std::string("only one flag can use standard ") +
                          (out ? "output" : "input") + " (-)");
      }
      (out ? args.writes_stdout_ : reads_stdin) = true;
    }
    args.repeated_[std::string(name)].push_back(value);
    args.values_.emplace(std::string(name), std::move(value));
  }
  for (const FlagSpec& f : spec) {
    if (f.required && !args.Has(f.name)) {
      return UsageError("missing --" + std::string(f.name));
    }
  }
  return args;
}

const std::string& Args::Get(std::string_view name) const {
  return values_.find(std::string(name))->second;
}

std::optional<std::string> Args::Find(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::All(std::string_view name) const {
  auto it = repeated_.find(std::string(name));
  if (it == repeated_.end()) return {};
  return it->second;
}

Result<std::optional<uint64_t>> Args::FindUInt(std::string_view name) const {
  auto text = Find(name);
  if (!text) return std::optional<uint64_t>();
  uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end) {
    return UsageError("--" + std::string(name) + " needs a non-negative integer");
  }
  return std::optional<uint64_t>(value);
}

}  // namespace candor::cli
