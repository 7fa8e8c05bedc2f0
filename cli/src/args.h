// Command-line flags: `--name value` and bare `--name` switches, each
// declared per command. Anything undeclared, repeated, or missing its value
// is a usage error (exit 2), so a typo never silently changes what runs.
// A file flag declared with a Stdio direction takes "-" for standard input
// or output (files.h reads and writes them), so commands can be piped and
// plaintext kept off the command line; at most one flag per direction.
#ifndef CANDOR_CLI_ARGS_H_
#define CANDOR_CLI_ARGS_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/crypto/result.h"

namespace candor::cli {

// What "-" means as the value of a file flag.
enum class Stdio { kNone, kIn, kOut };

// "-": standard input or output, for flags declared with that direction.
inline constexpr std::string_view kStdioPath = "-";

struct FlagSpec {
  std::string_view name;  // without the leading "--"
  bool takes_value;
  bool required;
  Stdio stdio = Stdio::kNone;  // kNone: "-" is an ordinary value
  bool repeatable = false;     // may be given more than once (All)
};

class Args {
 public:
  static Result<Args> Parse(std::span<const std::string_view> argv,
                            std::span<const FlagSpec> spec);

  // A required flag's value (Parse checked it is there).
  const std::string& Get(std::string_view name) const;
  std::optional<std::string> Find(std::string_view name) const;
  // Every value of a repeatable flag, in the order given.
  std::vector<std::string> All(std::string_view name) const;
  bool Has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  // A non-negative decimal integer flag; nullopt when absent.
  Result<std::optional<uint64_t>> FindUInt(std::string_view name) const;
  // Whether a flag sends its output to standard output: then stdout carries
  // that data alone and main() prints the JSON summary on stderr.
  bool WritesStdout() const { return writes_stdout_; }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> repeated_;
  bool writes_stdout_ = false;
};

// Errc::kInvalidArgument: the CLI's usage errors (exit 2).
Error UsageError(std::string message);

}  // namespace candor::cli

#endif  // CANDOR_CLI_ARGS_H_
