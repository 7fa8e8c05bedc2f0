// Prints the session known-answer vectors as JSON. Run once to (re)create
// tests/vectors/session_v2.json (wire version 2), or with "pqxdh"
// tests/vectors/pqxdh_v1.json; changing either file is a wire-format change.
#include <cstdio>
#include <string_view>

#include "support/session_vectors.h"

int main(int argc, char** argv) {
  const bool pqxdh = argc > 1 && std::string_view(argv[1]) == "pqxdh";
  std::fputs(candor::testing::ToJson(pqxdh ? candor::testing::GeneratePqxdhVectors()
                                           : candor::testing::GenerateSessionVectors())
                 .c_str(),
             stdout);
  return 0;
}
