// Prints the session known-answer vectors as JSON. Run once to (re)create
// tests/vectors/session_v2.json (wire version 2); changing that file is a wire-format change.
#include <cstdio>

#include "support/session_vectors.h"

int main() {
  std::fputs(candor::testing::ToJson(candor::testing::GenerateSessionVectors()).c_str(), stdout);
  return 0;
}
