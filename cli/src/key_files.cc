#include "key_files.h"

#include <string_view>

#include "candor/crypto/encoding.h"
#include "files.h"

namespace candor::cli {
namespace {

constexpr std::string_view kRelayKeyKind = "candor-relay-key-v1";
constexpr std::string_view kModeratorSecretV1 = "candor-moderator-secret-v1";
constexpr std::string_view kModeratorPublicV1 = "candor-moderator-public-v1";
constexpr std::string_view kModeratorSecretV2 = "candor-moderator-secret-v2";
constexpr std::string_view kModeratorPublicV2 = "candor-moderator-public-v2";
constexpr std::string_view kDirectorySecretKind = "candor-directory-secret-v1";
constexpr std::string_view kDirectoryPublicKind = "candor-directory-public-v1";
// Read a little more than any key line, so that another kind of key file is
// named as such rather than as "too large".
constexpr size_t kMaxKeyFileBytes = 1024;
constexpr size_t kKeyBytes = 32;  // every key these files hold

SecretBytes Encode(std::string_view kind, ByteView key) {
  std::string prefix(kind);
  prefix += ' ';
  return ToHexSecret(key, prefix, "\n");
}

// The key bytes of a file of `kind` holding `size` bytes; nullopt for a file
// of another kind (or length).
Result<std::optional<SecretBytes>> ReadKind(const SecretBytes& file, std::string_view kind,
                                            size_t size) {
  std::string_view text(reinterpret_cast<const char*>(file.Expose().data()), file.size());
  const size_t line = kind.size() + 1 + 2 * size;
  if (text.size() == line + 1 && text.back() == '\n') text.remove_suffix(1);
  if (text.size() != line || text.substr(0, kind.size()) != kind || text[kind.size()] != ' ') {
    return std::optional<SecretBytes>();
  }
  auto key = FromHexSecret(text.substr(kind.size() + 1));
  if (!key.has_value()) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(std::move(key).value());
}

Error NotThisKind(const std::string& path, std::string_view kind) {
  return Error(Errc::kInvalidEncoding, path + " is not a " + std::string(kind) + " file");
}

Result<SecretBytes> Read(const std::string& path, std::string_view kind, size_t size = kKeyBytes) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes file, ReadSecretFile(path, kMaxKeyFileBytes));
  CANDOR_ASSIGN_OR_RETURN(std::optional<SecretBytes> key, ReadKind(file, kind, size));
  if (!key) return NotThisKind(path, kind);
  return std::move(*key);
}

SecretArray<kKeyBytes> Part(const SecretBytes& bytes, size_t index) {
  return *SecretArray<kKeyBytes>::CopyFrom(
      bytes.Expose().subspan(index * kKeyBytes, kKeyBytes));
}

}  // namespace

Result<void> WriteRelayKeyFile(const std::string& path, const crypto::RelayKey& key) {
  return WriteNewSecretFile(path, Encode(kRelayKeyKind, key.Expose()).Expose());
}

Result<crypto::RelayKey> ReadRelayKeyFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes key, Read(path, kRelayKeyKind));
  return Part(key, 0);
}

Result<void> WriteModeratorKeyFiles(const std::string& secret_path, const std::string& public_path,
                                    const ModeratorKeys& keys) {
  if (!keys.token_signing || !keys.token_key) {
    return Error(Errc::kInvalidArgument, "new moderator keys include the token keys");
  }
  SecretBytes secret(3 * kKeyBytes);
  auto out = secret.Expose();
  const auto put = [&](size_t index, ByteView part) {
    std::copy(part.begin(), part.end(), out.begin() + static_cast<long>(index * kKeyBytes));
  };
  put(0, keys.report_key.private_key().Expose());
  put(1, keys.token_signing->Seed().Expose());
  put(2, keys.token_key->Expose());
  CANDOR_RETURN_IF_ERROR(
      WriteNewSecretFile(secret_path, Encode(kModeratorSecretV2, secret.Expose()).Expose()));
  Bytes pub(keys.report_key.public_key().bytes().begin(), keys.report_key.public_key().bytes().end());
  const auto& signing = keys.token_signing->public_key().bytes();
  pub.insert(pub.end(), signing.begin(), signing.end());
  return WriteOutputFile(public_path, Encode(kModeratorPublicV2, pub).Expose());
}

Result<ModeratorKeys> ReadModeratorSecretFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes file, ReadSecretFile(path, kMaxKeyFileBytes));
  CANDOR_ASSIGN_OR_RETURN(std::optional<SecretBytes> v2,
                          ReadKind(file, kModeratorSecretV2, 3 * kKeyBytes));
  if (v2) {
    return ModeratorKeys{crypto::X25519KeyPair::FromPrivate(Part(*v2, 0)),
                         crypto::Ed25519KeyPair::FromSeed(Part(*v2, 1)), Part(*v2, 2)};
  }
  CANDOR_ASSIGN_OR_RETURN(std::optional<SecretBytes> v1, ReadKind(file, kModeratorSecretV1, kKeyBytes));
  if (!v1) return NotThisKind(path, kModeratorSecretV2);
  return ModeratorKeys{crypto::X25519KeyPair::FromPrivate(Part(*v1, 0)), std::nullopt,
                       std::nullopt};
}

Result<ModeratorPublicKeys> ReadModeratorPublicFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes file, ReadSecretFile(path, kMaxKeyFileBytes));
  CANDOR_ASSIGN_OR_RETURN(std::optional<SecretBytes> v2,
                          ReadKind(file, kModeratorPublicV2, 2 * kKeyBytes));
  if (v2) {
    const ByteView bytes = v2->Expose();
    CANDOR_ASSIGN_OR_RETURN(crypto::X25519PublicKey report_key,
                            crypto::X25519PublicKey::FromBytes(bytes.first(kKeyBytes)));
    CANDOR_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey token_signing,
                            crypto::Ed25519PublicKey::FromBytes(bytes.subspan(kKeyBytes)));
    return ModeratorPublicKeys{report_key, token_signing};
  }
  CANDOR_ASSIGN_OR_RETURN(std::optional<SecretBytes> v1, ReadKind(file, kModeratorPublicV1, kKeyBytes));
  if (!v1) return NotThisKind(path, kModeratorPublicV2);
  CANDOR_ASSIGN_OR_RETURN(crypto::X25519PublicKey report_key,
                          crypto::X25519PublicKey::FromBytes(v1->Expose()));
  return ModeratorPublicKeys{report_key, std::nullopt};
}

Result<void> WriteDirectoryKeyFiles(const std::string& secret_path, const std::string& public_path,
                                    const crypto::Ed25519KeyPair& key) {
  CANDOR_RETURN_IF_ERROR(
      WriteNewSecretFile(secret_path, Encode(kDirectorySecretKind, key.Seed().Expose()).Expose()));
  return WriteOutputFile(public_path,
                         Encode(kDirectoryPublicKind, key.public_key().bytes()).Expose());
}

Result<crypto::Ed25519KeyPair> ReadDirectorySecretFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes key, Read(path, kDirectorySecretKind));
  return crypto::Ed25519KeyPair::FromSeed(Part(key, 0));
}

Result<crypto::Ed25519PublicKey> ReadDirectoryPublicFile(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(SecretBytes key, Read(path, kDirectoryPublicKind));
  return crypto::Ed25519PublicKey::FromBytes(key.Expose());
}

}  // namespace candor::cli
