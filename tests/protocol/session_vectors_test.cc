// The frozen session vectors: the conversation regenerated now must match
// tests/vectors/session_v1.json byte for byte.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/session_vectors.h"

namespace candor::testing {
namespace {

TEST(SessionVectors, MatchTheFrozenFile) {
  std::ifstream in(CANDOR_SESSION_VECTORS);
  ASSERT_TRUE(in) << "cannot open " << CANDOR_SESSION_VECTORS;
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::Struct frozen;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &frozen).ok());
  const VectorList now = GenerateSessionVectors();
  EXPECT_EQ(static_cast<size_t>(frozen.fields().size()), now.size());
  for (const auto& [name, value] : now) {
    auto it = frozen.fields().find(name);
    ASSERT_NE(it, frozen.fields().end()) << name << " missing from the frozen file";
    EXPECT_EQ(it->second.string_value(), value) << name << " changed";
  }
}

}  // namespace
}  // namespace candor::testing
