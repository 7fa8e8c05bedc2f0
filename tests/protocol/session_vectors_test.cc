// The frozen session vectors: the conversation regenerated now must match
// tests/vectors/session_v2.json byte for byte. session_v1.json is the record
// of wire version 1 (all-zero body nonce): its messages must be refused.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "candor/crypto/encoding.h"
#include "candor/protocol/wire.h"
#include "support/session_vectors.h"

namespace candor::testing {
namespace {

template <typename T>
Error ErrorOf(const Result<T>& r) {
  return r.has_value() ? Error(Errc::kInternal, "decoded") : r.error();
}

google::protobuf::Struct ReadFrozen(const char* path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::Struct frozen;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &frozen).ok()) << path;
  return frozen;
}

void ExpectFrozen(const char* path, const VectorList& now) {
  const google::protobuf::Struct frozen = ReadFrozen(path);
  EXPECT_EQ(static_cast<size_t>(frozen.fields().size()), now.size());
  for (const auto& [name, value] : now) {
    auto it = frozen.fields().find(name);
    ASSERT_NE(it, frozen.fields().end()) << name << " missing from the frozen file";
    EXPECT_EQ(it->second.string_value(), value) << name << " changed";
  }
}

TEST(SessionVectors, MatchTheFrozenFile) {
  ExpectFrozen(CANDOR_SESSION_VECTORS, GenerateSessionVectors());
}

TEST(SessionVectors, PqxdhMatchesTheFrozenFile) {
  ExpectFrozen(CANDOR_PQXDH_VECTORS, GeneratePqxdhVectors());
}

TEST(SessionVectors, GroupMatchesTheFrozenFile) {
  ExpectFrozen(CANDOR_GROUP_VECTORS, GenerateGroupVectors());
}

TEST(SessionVectors, SealedMatchesTheFrozenFile) {
  ExpectFrozen(CANDOR_SEALED_VECTORS, GenerateSealedVectors());
}

TEST(SessionVectors, VersionOneMessagesAreRefusedWithAClearError) {
  const google::protobuf::Struct v1 = ReadFrozen(CANDOR_SESSION_VECTORS_V1);
  for (const char* name : {"m1_envelope", "m2_envelope", "bundle"}) {
    auto bytes = FromHex(v1.fields().at(name).string_value());
    ASSERT_TRUE(bytes.has_value()) << name;
    ASSERT_EQ(bytes->at(0), 1) << name;
    const Error e = std::string_view(name) == "bundle" ? ErrorOf(protocol::DecodePrekeyBundle(*bytes))
                                                      : ErrorOf(protocol::DecodeEnvelope(*bytes));
    EXPECT_EQ(e.code(), Errc::kUnsupportedVersion) << name;
    EXPECT_NE(e.message().find("older candor"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace candor::testing
