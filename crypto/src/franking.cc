#include "candor/crypto/franking.h"

#include <cstring>

#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kCommitLabel = "candor/frank/v1";
constexpr std::string_view kRelayLabel = "candor/relay/v1";
constexpr std::string_view kSealedRelayLabel = "candor/relay-sealed/v1";
constexpr std::string_view kGroupCommitLabel = "candor/gfrank/v1";
constexpr size_t kGroupIdBytes = 32;

// lp(sender) || lp(recipient), after checking both names, in a fixed
// buffer (no allocation: this runs twice per message).
class Addresses {
 public:
  static Result<Addresses> Encode(std::string_view sender, std::string_view recipient) {
    CANDOR_RETURN_IF_ERROR(CheckAccount(sender));
    CANDOR_RETURN_IF_ERROR(CheckAccount(recipient));
    Addresses a;
    a.Put(sender);
    a.Put(recipient);
    return a;
  }
  ByteView view() const { return ByteView(bytes_.data(), size_); }

 private:
  void Put(std::string_view name) {  // bounded by CheckAccount
    bytes_[size_++] = static_cast<uint8_t>(name.size() >> 8);
    bytes_[size_++] = static_cast<uint8_t>(name.size());
    std::memcpy(bytes_.data() + size_, name.data(), name.size());
    size_ += name.size();
  }
  std::array<uint8_t, 2 * (2 + kMaxAccountBytes)> bytes_;
  size_t size_ = 0;
};

std::array<uint8_t, 8> Be64(uint64_t v) {
  std::array<uint8_t, 8> out;
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
  return out;
}

Result<void> CheckCommitmentSize(ByteView commitment) {
  if (commitment.size() != kFrankingCommitmentBytes) {
    return Error(Errc::kFrankingMismatch, "franking commitment must be 32 bytes");
  }
  return Ok();
}

Result<void> CompareTag(const std::array<uint8_t, 32>& expected, ByteView got,
                        const char* what) {
  if (got.size() != expected.size() ||
      !candor::internal::ConstantTimeEqual(expected.data(), got.data(), expected.size())) {
    return Error(Errc::kFrankingMismatch, std::string(what) + " does not match");
  }
  return Ok();
}

}  // namespace

Result<void> CheckAccount(std::string_view account) {
  if (account.empty() || account.size() > kMaxAccountBytes) {
    return Error(Errc::kInvalidAccount, "account name must be 1.." +
                                            std::to_string(kMaxAccountBytes) + " bytes");
  }
  // Names reach users through the C ABI as NUL-terminated strings and on
  // terminals: a NUL would cut the name short there while the commitment,
  // history and reports hold all of it, and other controls (CR, ESC) could
  // make one account display as another. No tab or newline either: a name
  // is one line.
  for (const char ch : account) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x20 || c == 0x7F) {
      return Error(Errc::kInvalidAccount,
                   "account name holds a control character (0x00-0x1F or 0x7F)");
    }
  }
  return Ok();
}

FrankingKey GenerateFrankingKey(RandomSource& rng) {
  FrankingKey fk;
  rng.Fill(fk.Expose());
  return fk;
}

Result<FrankingCommitment> ComputeFrankingCommitment(const FrankingKey& fk,
                                                     std::string_view sender,
                                                     std::string_view recipient,
                                                     ByteView content) {
  CANDOR_ASSIGN_OR_RETURN(Addresses addresses, Addresses::Encode(sender, recipient));
  return Blake2b256Keyed(fk.Expose(), {AsBytes(kCommitLabel), addresses.view(), content});
}

Result<void> VerifyFrankingCommitment(const FrankingKey& fk, std::string_view sender,
                                      std::string_view recipient, ByteView content,
                                      ByteView commitment) {
  CANDOR_ASSIGN_OR_RETURN(auto expected,
                          ComputeFrankingCommitment(fk, sender, recipient, content));
  return CompareTag(expected, commitment, "franking commitment");
}

Result<FrankingCommitment> ComputeGroupFrankingCommitment(const FrankingKey& fk,
                                                          std::string_view sender,
                                                          ByteView group_id, ByteView content) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(sender));
  if (group_id.size() != kGroupIdBytes) {
    return Error(Errc::kInvalidArgument, "a group id is 32 bytes");
  }
  const std::array<uint8_t, 2> length{static_cast<uint8_t>(sender.size() >> 8),
                                      static_cast<uint8_t>(sender.size())};
  return Blake2b256Keyed(fk.Expose(),
                         {AsBytes(kGroupCommitLabel), length, AsBytes(sender), group_id, content});
}

Result<void> VerifyGroupFrankingCommitment(const FrankingKey& fk, std::string_view sender,
                                           ByteView group_id, ByteView content,
                                           ByteView commitment) {
  CANDOR_ASSIGN_OR_RETURN(auto expected,
                          ComputeGroupFrankingCommitment(fk, sender, group_id, content));
  return CompareTag(expected, commitment, "group franking commitment");
}

RelayKey GenerateRelayKey(RandomSource& rng) {
  RelayKey key;
  rng.Fill(key.Expose());
  return key;
}

Result<RelayTag> ComputeRelayTag(const RelayKey& key, ByteView commitment,
                                 std::string_view sender, std::string_view recipient,
                                 uint64_t server_time) {
  CANDOR_RETURN_IF_ERROR(CheckCommitmentSize(commitment));
  CANDOR_ASSIGN_OR_RETURN(Addresses addresses, Addresses::Encode(sender, recipient));
  return Blake2b256Keyed(key.Expose(),
                         {AsBytes(kRelayLabel), commitment, addresses.view(), Be64(server_time)});
}

Result<void> VerifyRelayTag(const RelayKey& key, ByteView commitment,
                            std::string_view sender, std::string_view recipient,
                            uint64_t server_time, ByteView tag) {
  CANDOR_ASSIGN_OR_RETURN(auto expected,
                          ComputeRelayTag(key, commitment, sender, recipient, server_time));
  return CompareTag(expected, tag, "relay franking tag");
}

Result<RelayTag> ComputeSealedRelayTag(const RelayKey& key, ByteView commitment,
                                       std::string_view recipient, uint64_t server_time) {
  CANDOR_RETURN_IF_ERROR(CheckCommitmentSize(commitment));
  if (!recipient.empty()) CANDOR_RETURN_IF_ERROR(CheckAccount(recipient));
  const std::array<uint8_t, 2> length{static_cast<uint8_t>(recipient.size() >> 8),
                                      static_cast<uint8_t>(recipient.size())};
  return Blake2b256Keyed(key.Expose(), {AsBytes(kSealedRelayLabel), commitment, length,
                                        AsBytes(recipient), Be64(server_time)});
}

Result<void> VerifySealedRelayTag(const RelayKey& key, ByteView commitment,
                                  std::string_view recipient, uint64_t server_time,
                                  ByteView tag) {
  CANDOR_ASSIGN_OR_RETURN(auto expected,
                          ComputeSealedRelayTag(key, commitment, recipient, server_time));
  return CompareTag(expected, tag, "sealed relay franking tag");
}

}  // namespace candor::crypto
