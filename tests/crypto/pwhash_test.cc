// Argon2id passphrase stretching. The known answer was produced independently
// with the reference implementation's command-line tool (Debian "argon2"):
//   echo -n "correct horse battery staple" |
//     argon2 "candor-kat-salt!" -id -t 2 -k 65536 -p 1 -l 32 -r
// (libsodium's Argon2id uses one lane, hence -p 1.)
#include <gtest/gtest.h>

#include "candor/crypto/encoding.h"
#include "candor/crypto/pwhash.h"

namespace candor::crypto {
namespace {

constexpr Argon2idParams kInteractive{kArgon2idMinOpsLimit, kArgon2idMinMemLimitBytes};

SecretBytes Pass(std::string_view s) { return SecretBytes::CopyFrom(AsBytes(s)); }

Argon2idSalt Salt(std::string_view s16) {
  Argon2idSalt salt{};
  std::copy_n(s16.begin(), salt.size(), salt.begin());
  return salt;
}

TEST(Argon2id, MatchesReferenceImplementation) {
  auto key = DeriveKeyFromPassphrase(Pass("correct horse battery staple"),
                                     Salt("candor-kat-salt!"), kInteractive);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(ToHex(key->Expose()),
            "5db953d5ed6250545bf68d4aecd357ceae9c4e2c49cdfc2ed203ac48b64d3a3c");
}

TEST(Argon2id, SaltAndPassphraseChangeTheKey) {
  auto a = DeriveKeyFromPassphrase(Pass("pw"), Salt("aaaaaaaaaaaaaaaa"), kInteractive);
  auto b = DeriveKeyFromPassphrase(Pass("pw"), Salt("aaaaaaaaaaaaaaab"), kInteractive);
  auto c = DeriveKeyFromPassphrase(Pass("pW"), Salt("aaaaaaaaaaaaaaaa"), kInteractive);
  ASSERT_TRUE(a.has_value() && b.has_value() && c.has_value());
  EXPECT_FALSE(*a == *b);
  EXPECT_FALSE(*a == *c);
}

TEST(Argon2id, RefusesOutOfRangeInput) {
  const auto salt = Salt("0123456789abcdef");
  auto code = [&](const SecretBytes& pw, Argon2idParams p) {
    auto r = DeriveKeyFromPassphrase(pw, salt, p);
    return r.has_value() ? Errc::kInternal : r.error().code();
  };
  EXPECT_EQ(code(SecretBytes(), kInteractive), Errc::kInvalidArgument);
  EXPECT_EQ(code(SecretBytes(kMaxPassphraseBytes + 1), kInteractive), Errc::kInvalidArgument);
  EXPECT_EQ(code(Pass("pw"), {kArgon2idMinOpsLimit - 1, kArgon2idMinMemLimitBytes}),
            Errc::kInvalidArgument);
  EXPECT_EQ(code(Pass("pw"), {kArgon2idMaxOpsLimit + 1, kArgon2idMinMemLimitBytes}),
            Errc::kInvalidArgument);
  EXPECT_EQ(code(Pass("pw"), {kArgon2idMinOpsLimit, kArgon2idMinMemLimitBytes - 1}),
            Errc::kInvalidArgument);
  EXPECT_EQ(code(Pass("pw"), {kArgon2idMinOpsLimit, kArgon2idMaxMemLimitBytes + 1}),
            Errc::kInvalidArgument);
}

TEST(Argon2id, SaltsAreRandom) {
  InsecureDeterministicRandom rng(12);
  EXPECT_NE(GenerateArgon2idSalt(rng), GenerateArgon2idSalt(rng));
}

}  // namespace
}  // namespace candor::crypto
