#include "candor/crypto/franking.h"

#include "candor/crypto/hash.h"
#include "candor/crypto/limits.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kCommitLabel = "candor/frank/v1";
constexpr std::string_view kRelayLabel = "candor/relay/v1";

// lp(sender) || lp(recipient), after checking both names.
Result<Bytes> Addresses(std::string_view sender, std::string_view recipient) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(sender));
  CANDOR_RETURN_IF_ERROR(CheckAccount(recipient));
  ByteWriter w(4 + sender.size() + recipient.size());
  // Both fit a u16: CheckAccount bounds them far below 65535.
  (void)w.PutLengthPrefixed(AsBytes(sender));
  (void)w.PutLengthPrefixed(AsBytes(recipient));
  return std::move(w).Take();
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
  CANDOR_ASSIGN_OR_RETURN(Bytes addresses, Addresses(sender, recipient));
  return Blake2b256Keyed(fk.Expose(), {AsBytes(kCommitLabel), addresses, content});
}

Result<void> VerifyFrankingCommitment(const FrankingKey& fk, std::string_view sender,
                                      std::string_view recipient, ByteView content,
                                      ByteView commitment) {
  CANDOR_ASSIGN_OR_RETURN(auto expected,
                          ComputeFrankingCommitment(fk, sender, recipient, content));
  return CompareTag(expected, commitment, "franking commitment");
}

RelayKey GenerateRelayKey(RandomSource& rng) {
  RelayKey key;
  rng.Fill(key.Expose());
  return key;
}

Result<RelayTag> ComputeRelayTag(const RelayKey& key, ByteView commitment,
                                 std::string_view sender, std::string_view recipient,
                                 uint64_t server_time) {
  if (commitment.size() != kFrankingCommitmentBytes) {
    return Error(Errc::kFrankingMismatch, "franking commitment must be 32 bytes");
  }
  CANDOR_ASSIGN_OR_RETURN(Bytes addresses, Addresses(sender, recipient));
  ByteWriter ts(8);
  ts.PutBe64(server_time);
  return Blake2b256Keyed(key.Expose(), {AsBytes(kRelayLabel), commitment, addresses, ts.bytes()});
}

Result<void> VerifyRelayTag(const RelayKey& key, ByteView commitment,
                            std::string_view sender, std::string_view recipient,
                            uint64_t server_time, ByteView tag) {
  CANDOR_ASSIGN_OR_RETURN(auto expected,
                          ComputeRelayTag(key, commitment, sender, recipient, server_time));
  return CompareTag(expected, tag, "relay franking tag");
}

}  // namespace candor::crypto
