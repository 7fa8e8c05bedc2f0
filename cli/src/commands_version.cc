// candor --version and candor version [--json]: what ran, for an audit —
// candor's version, the C ABI version it provides, and the versions of the
// libraries linked at run time (asked of the libraries themselves).
#include "candor/candor.h"
#include "candor/crypto/versions.h"
#include "candor/protocol/json.h"
#include "candor/protocol/versions.h"
#include "candor/storage/versions.h"
#include "commands.h"

namespace candor::cli {

Result<std::string> RunVersion(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::string sqlcipher, storage::SqlcipherVersion());
  const std::string sodium(crypto::SodiumVersion());
  const std::string protobuf = protocol::ProtobufVersion();
  const std::string sqlite = storage::SqliteVersion();
  if (!args.Has("json")) {
    return "candor " CANDOR_VERSION " (C ABI " + std::to_string(CANDOR_ABI_VERSION) +
           "; libsodium " + sodium + ", protobuf " + protobuf + ", SQLCipher " + sqlcipher +
           ", SQLite " + sqlite + ")";
  }
  return protocol::JsonObject()
      .Str("candor", CANDOR_VERSION)
      .UInt("abi", CANDOR_ABI_VERSION)
      .Str("libsodium", sodium)
      .Str("protobuf", protobuf)
      .Str("sqlcipher", sqlcipher)
      .Str("sqlite", sqlite)
      .Finish();
}

}  // namespace candor::cli
