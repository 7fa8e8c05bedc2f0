// A main for builds without libFuzzer: runs the target's entry point on every
// file named on the command line (or found in a named directory). ctest runs
// each target over its seed corpus and its recorded crashes this way, so
// every input that ever crashed stays a regression test, under ASan too.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int failures = 0, ran = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) {
          failures += RunFile(entry.path());
          ++ran;
        }
      }
    } else {
      failures += RunFile(arg);
      ++ran;
    }
  }
  std::printf("%d inputs ran, %d unreadable\n", ran, failures);
  return failures == 0 && ran > 0 ? 0 : 1;
}
