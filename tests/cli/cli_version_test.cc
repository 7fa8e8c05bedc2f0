// candor --version and candor version --json say what ran: candor's own
// version, the C ABI version, and the libraries' versions as the linked
// libraries report them (compared here with the same libraries linked into
// this test, and with the version and ABI the build and candor.h name).
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "candor/candor.h"
#include "candor/crypto/versions.h"
#include "candor/protocol/versions.h"
#include "candor/storage/versions.h"
#include "cli/cli_fixture.h"

namespace candor {
namespace {

using cli_testing::CliTest;
using cli_testing::Outcome;

class CliVersionTest : public CliTest {};

TEST_F(CliVersionTest, JsonNamesEveryComponentWithItsLinkedVersion) {
  Outcome v = Run({"version", "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.json.fields().size(), 6u) << v.out;
  EXPECT_EQ(v.Str("candor"), CANDOR_VERSION) << "the project's version";
  EXPECT_EQ(v.Num("abi"), CANDOR_ABI_VERSION);
  EXPECT_EQ(v.Str("libsodium"), crypto::SodiumVersion());
  EXPECT_EQ(v.Str("protobuf"), protocol::ProtobufVersion());
  EXPECT_EQ(v.Str("sqlite"), storage::SqliteVersion());
  auto sqlcipher = storage::SqlcipherVersion();
  ASSERT_TRUE(sqlcipher.has_value()) << sqlcipher.error().message();
  EXPECT_EQ(v.Str("sqlcipher"), *sqlcipher);
  const std::regex dotted(R"(\d+\.\d+\.\d+.*)");
  for (const char* key : {"candor", "libsodium", "protobuf", "sqlite", "sqlcipher"}) {
    EXPECT_TRUE(std::regex_match(v.Str(key), dotted)) << key << ": " << v.Str(key);
  }
}

TEST_F(CliVersionTest, DashDashVersionIsOneLineForPeople) {
  Outcome json = Run({"version", "--json"});
  Outcome line = Run({"--version"});
  ASSERT_EQ(line.exit_code, 0) << line.err;
  ASSERT_FALSE(line.out.empty());
  EXPECT_EQ(line.out.find('\n'), line.out.size() - 1) << line.out;
  EXPECT_EQ(line.out.rfind("candor " + json.Str("candor") + " ", 0), 0u) << line.out;
  for (const char* key : {"libsodium", "protobuf", "sqlite", "sqlcipher"}) {
    EXPECT_NE(line.out.find(json.Str(key)), std::string::npos) << key << ": " << line.out;
  }
  EXPECT_EQ(Run({"--version", "--json"}).exit_code, 2) << "use `candor version --json`";
}

}  // namespace
}  // namespace candor
