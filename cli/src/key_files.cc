#include "key_files.h"

#include <string_view>

#include "candor/crypto/encoding.h"
#include "files.h"

namespace candor::cli {
namespace {

constexpr std::string_view kRelayKeyKind = "candor-relay-key-v1";
constexpr std::string_view kModeratorSecretKind = "candor-moderator-secret-v1";
constexpr std::string_view kModeratorPublicKind = "candor-moderator-public-v1";
// Read a little more than any key line, so that another kind of key file is
// named as such rather than as "too large".
constexpr size_t kMaxKeyFileBytes = 1024;
constexpr size_t kKeyBytes = 32;  // every key these files hold

SecretBytes Encode(std::string_view kind, ByteView key) {
  std::string prefix(kind);
  prefix += ' ';
  return ToHexSecret(key, prefix, "\n");
}

Result<SecretArray<kKeyBytes>> Read(const std::string& path, std::string_view kind) {
  const size_t line = kind.size() + 1 + 2 * kKeyBytes;
  CANDOR_ASSIGN_OR_RETURN(SecretBytes file, ReadSecretFile(path, kMaxKeyFileBytes));
  std::string_view text(reinterpret_cast<const char*>(file.Expose().data()), file.size());
  if (text.size() == line + 1 && text.back() == '\n') text.remove_suffix(1);
  const Error not_this_kind(Errc::kInvalidEncoding, path + " is not a " + std::string(kind) + " file");
  if (text.size() != line || text.substr(0, kind.size()) != kind || text[kind.size()] != ' ') {
    return not_this_kind;
  }
  auto key = FromHexSecret(text.substr(kind.size() + 1));
  if (!key.has_value()) return not_this_kind;
  return SecretArray<kKeyBytes>::CopyFrom(key->Expose());
}

}  // namespace

Result<void> WriteRelayKeyFile(const std::string& path, const crypto::RelayKey& key) {
  return WriteNewSecretFile(path, Encode(kRelayKeyKind, key.Expose()).Expose());
}

Result<crypto::RelayKey> ReadRelayKeyFile(const std::string& path) {
  return Read(path, kRelayKeyKind);
}

Result<void> WriteModeratorKeyFiles(const std::string& secret_path, const std::string& public_path,
                                    const crypto::X25519KeyPair& pair) {
  CANDOR_RETURN_IF_ERROR(
      WriteNewSecretFile(secret_path, Encode(kModeratorSecretKind, pair.private_key().Expose()).Expose()));
  return WriteOutputFile(public_path, Encode(kModeratorPublicKind, pair.public_key().bytes()).Expose());
}

Result<crypto::X25519KeyPair> ReadModeratorSecretFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretArray<kKeyBytes> key, Read(path, kModeratorSecretKind));
  return crypto::X25519KeyPair::FromPrivate(std::move(key));
}

Result<crypto::X25519PublicKey> ReadModeratorPublicFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretArray<kKeyBytes> key, Read(path, kModeratorPublicKind));
  return crypto::X25519PublicKey::FromBytes(key.Expose());
}

}  // namespace candor::cli
