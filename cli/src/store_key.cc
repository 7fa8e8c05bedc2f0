#include "store_key.h"

#include <cstdlib>
#include <cstring>

#include "args.h"
#include "candor/crypto/encoding.h"

namespace candor::cli {

Result<storage::StoreKey> StoreKeyFromEnvironment() {
  const char* hex = std::getenv(kDbKeyVariable);
  const char* passphrase = std::getenv(kPassphraseVariable);
  if (hex != nullptr && passphrase != nullptr) {
    return UsageError("set only one of CANDOR_DB_KEY and CANDOR_PASSPHRASE");
  }
  if (hex == nullptr && passphrase == nullptr) {
    return UsageError(
        "no store key: set CANDOR_DB_KEY (64 hex digits) or CANDOR_PASSPHRASE in the environment");
  }
  if (hex != nullptr) {
    const std::string_view text(hex);
    auto bytes = text.size() == 64 ? FromHexSecret(text)
                                   : Result<SecretBytes>(Error(Errc::kInvalidEncoding, ""));
    ::unsetenv(kDbKeyVariable);
    if (!bytes.has_value()) return UsageError("CANDOR_DB_KEY must be 64 hex digits");
    CANDOR_ASSIGN_OR_RETURN(SecretArray<32> key, SecretArray<32>::CopyFrom(bytes->Expose()));
    return storage::StoreKey::Raw(std::move(key));
  }
  SecretBytes secret = SecretBytes::CopyFrom(
      std::span(reinterpret_cast<const uint8_t*>(passphrase), std::strlen(passphrase)));
  ::unsetenv(kPassphraseVariable);
  auto key = storage::StoreKey::Passphrase(std::move(secret));
  if (!key.has_value()) return UsageError("CANDOR_PASSPHRASE: " + key.error().message());
  return key;
}

}  // namespace candor::cli
