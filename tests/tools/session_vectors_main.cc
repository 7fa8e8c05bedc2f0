// Prints the session known-answer vectors as JSON. Run once to (re)create
// tests/vectors/session_v2.json (wire version 2), with "pqxdh"
// tests/vectors/pqxdh_v1.json, with "group" tests/vectors/group_v1.json,
// with "sealed" tests/vectors/sealed_v1.json;
// changing any of them is a wire-format change.
#include <cstdio>
#include <string_view>

#include "support/session_vectors.h"

int main(int argc, char** argv) {
  const std::string_view which = argc > 1 ? argv[1] : "session";
  const candor::testing::VectorList vectors =
      which == "pqxdh"   ? candor::testing::GeneratePqxdhVectors()
      : which == "group"  ? candor::testing::GenerateGroupVectors()
      : which == "sealed" ? candor::testing::GenerateSealedVectors()
                         : candor::testing::GenerateSessionVectors();
  std::fputs(candor::testing::ToJson(vectors).c_str(), stdout);
  return 0;
}
