// The candor command: the whole flow with local files (docs/cli.md).
// Success: one JSON object on stdout (on stderr when --out - puts the data on
// stdout), exit 0. Failure: one JSON error object on stderr and the exit
// code of exit_codes.h.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "exit_codes.h"

namespace candor::cli {
namespace {

std::string UsageText() {
  std::string text = "usage:\n";
  for (const Command& c : Commands()) {
    text += "  ";
    text += c.usage;
    text += '\n';
  }
  text += "The store key comes from CANDOR_DB_KEY (64 hex digits) or CANDOR_PASSPHRASE.\n";
  return text;
}

int Fail(const Error& error) {
  std::fprintf(stderr, "%s\n", ErrorJson(error).c_str());
  return ExitCodeFor(error.code());
}

int Run(const std::vector<std::string_view>& argv) {
  if (argv.empty()) return Fail(UsageError("no command given; try candor --help"));
  if (argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    std::fputs(UsageText().c_str(), stdout);
    return kExitOk;
  }
  // The conventional spelling of `candor version`: one line for people.
  if (argv[0] == "--version" && argv.size() == 1) {
    auto line = RunVersion(Args());
    if (!line.has_value()) return Fail(line.error());
    std::fputs((*line + "\n").c_str(), stdout);
    return kExitOk;
  }
  // The longest command whose words start the argument list.
  const Command* command = nullptr;
  for (const Command& c : Commands()) {
    if (c.words.size() > argv.size()) continue;
    bool match = true;
    for (size_t i = 0; i < c.words.size(); ++i) match = match && argv[i] == c.words[i];
    if (match && (command == nullptr || c.words.size() > command->words.size())) command = &c;
  }
  if (command == nullptr) {
    return Fail(UsageError("unknown command '" + std::string(argv[0]) + "'; try candor --help"));
  }
  const std::span<const std::string_view> rest(argv.data() + command->words.size(),
                                               argv.size() - command->words.size());
  auto args = Args::Parse(rest, command->flags);
  if (!args.has_value()) {
    return Fail(Error(args.error().code(),
                      args.error().message() + "; usage: " + std::string(command->usage)));
  }
  auto output = command->run(*args);
  if (!output.has_value()) return Fail(output.error());
  // With `--out -` stdout carries the data alone (a pipe into the next
  // command), so the summary goes to stderr; the exit code still says
  // whether it is a success.
  std::FILE* summary = args->WritesStdout() ? stderr : stdout;
  std::fputs(output->c_str(), summary);
  std::fputc('\n', summary);
  if (std::fflush(summary) != 0) return kExitOther;
  return kExitOk;
}

}  // namespace
}  // namespace candor::cli

int main(int argc, char** argv) {
  // candor reports errors as values; this is the last line of defence, so a
  // bug (say, std::bad_alloc) still ends in the documented JSON and exit 1.
  try {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    return candor::cli::Run(args);
  } catch (const std::exception&) {
    std::fputs("{\"error\":{\"code\":\"internal\",\"message\":\"unexpected exception\"}}\n",
               stderr);
    return candor::cli::kExitOther;
  }
}
