// Wycheproof ML-KEM-768, every case of the four files: key generation from
// a seed, encapsulation with given randomness (and encapsulation keys that
// fail the modulus check), decapsulation including implicit rejection, and
// the validation of stored decapsulation keys.
#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/mlkem.h"
#include "support/wycheproof.h"

namespace candor::crypto {
namespace {

using testing::Expected;
using testing::WycheproofFile;
using testing::WycheproofTally;

template <size_t N>
bool Same(const Bytes& expected, const SecretArray<N>& got) {
  return std::equal(expected.begin(), expected.end(), got.Expose().begin(), got.Expose().end());
}

// A valid case's ciphertext gives its K; an invalid one (a wrong length) is
// refused with kInvalidArgument.
void ExpectDecapsulation(const MlKem768KeyPair& pair, const Bytes& c,
                         const testing::WycheproofCase& tc) {
  auto k = pair.Decapsulate(c);
  if (tc.result() == Expected::kInvalid) {
    ASSERT_FALSE(k.has_value());
    EXPECT_EQ(k.error().code(), Errc::kInvalidArgument);
    return;
  }
  ASSERT_TRUE(k.has_value());
  EXPECT_TRUE(Same(tc.Hex("K"), *k));
}

// seed (d || z) -> ek, then decapsulate c -> K. Invalid: a seed or a
// ciphertext of the wrong length, each refused.
TEST(Wycheproof, MlKem768) {
  const auto file = WycheproofFile::Load("mlkem_768_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      auto seed = SecretArray<kMlKemSeedBytes>::CopyFrom(tc.Hex("seed"));
      const Bytes c = tc.Hex("c");
      if (tc.result() == Expected::kInvalid && c.size() == kMlKem768CiphertextBytes) {
        ASSERT_FALSE(seed.has_value());  // the seed is what is wrong
        EXPECT_EQ(seed.error().code(), Errc::kInvalidKey);
        continue;
      }
      ASSERT_TRUE(seed.has_value());
      const auto pair = MlKem768KeyPair::FromSeed(*seed);
      const Bytes ek = tc.Hex("ek");
      EXPECT_TRUE(std::equal(ek.begin(), ek.end(), pair.public_key().bytes().begin(),
                             pair.public_key().bytes().end()));
      ExpectDecapsulation(pair, c, tc);
    }
  }
  file.Report(tally);
}

// ek, m -> c, K; invalid: ek fails the modulus check, refused on load.
TEST(Wycheproof, MlKem768Encaps) {
  const auto file = WycheproofFile::Load("mlkem_768_encaps_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      auto key = MlKem768PublicKey::FromBytes(tc.Hex("ek"));
      if (tc.result() == Expected::kInvalid) {
        ASSERT_FALSE(key.has_value());
        EXPECT_EQ(key.error().code(), Errc::kInvalidKey);
        continue;
      }
      ASSERT_TRUE(key.has_value()) << key.error().message();
      auto m = SecretArray<kMlKemEncapsulationRandomBytes>::CopyFrom(tc.Hex("m"));
      ASSERT_TRUE(m.has_value());
      const auto enc = MlKem768EncapsulateWith(*key, *m);
      EXPECT_EQ(enc.ciphertext, tc.Hex("c"));
      EXPECT_TRUE(Same(tc.Hex("K"), enc.shared_secret));
    }
  }
  file.Report(tally);
}

// seed -> ek and dk, byte for byte; the dk loads back and gives the same ek.
TEST(Wycheproof, MlKem768KeyGenSeed) {
  const auto file = WycheproofFile::Load("mlkem_768_keygen_seed_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      auto seed = SecretArray<kMlKemSeedBytes>::CopyFrom(tc.Hex("seed"));
      ASSERT_TRUE(seed.has_value());
      const auto pair = MlKem768KeyPair::FromSeed(*seed);
      const Bytes ek = tc.Hex("ek"), dk = tc.Hex("dk");
      EXPECT_TRUE(std::equal(ek.begin(), ek.end(), pair.public_key().bytes().begin(),
                             pair.public_key().bytes().end()));
      EXPECT_TRUE(Same(dk, pair.decapsulation_key()));
      auto loaded = MlKem768KeyPair::FromDecapsulationKey(dk);
      ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
      EXPECT_EQ(loaded->public_key(), pair.public_key());
    }
  }
  file.Report(tally);
}

// A stored dk and a ciphertext -> K. Invalid: a dk or ciphertext of the
// wrong length, or a dk whose hash of its ek does not match — each refused.
TEST(Wycheproof, MlKem768SemiExpandedDecaps) {
  const auto file = WycheproofFile::Load("mlkem_768_semi_expanded_decaps_test.json");
  WycheproofTally tally;
  for (const auto& group : file.groups()) {
    for (const auto& tc : group.cases) {
      SCOPED_TRACE("tcId " + std::to_string(tc.id()));
      tally.Add(tc.result());
      auto pair = MlKem768KeyPair::FromDecapsulationKey(tc.Hex("dk"));
      if (tc.result() == Expected::kInvalid && !tc.HasFlag("IncorrectCiphertextLength")) {
        ASSERT_FALSE(pair.has_value());
        EXPECT_EQ(pair.error().code(), Errc::kInvalidKey);
        continue;
      }
      ASSERT_TRUE(pair.has_value()) << pair.error().message();
      ExpectDecapsulation(*pair, tc.Hex("c"), tc);
    }
  }
  file.Report(tally);
}

// Implicit rejection, on our own keys: a flipped ciphertext bit gives some
// other key (never an error); the sender's key only with the right one.
TEST(MlKem768, RoundTripAndImplicitRejection) {
  InsecureDeterministicRandom rng(3);
  const auto pair = MlKem768KeyPair::Generate(rng);
  const auto enc = MlKem768Encapsulate(pair.public_key(), rng);
  auto k = pair.Decapsulate(enc.ciphertext);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(*k, enc.shared_secret);
  Bytes tampered = enc.ciphertext;
  tampered[100] ^= 0x01;
  auto rejected = pair.Decapsulate(tampered);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_NE(*rejected, enc.shared_secret);
  // Another encapsulation to the same key: another secret.
  const auto again = MlKem768Encapsulate(pair.public_key(), rng);
  EXPECT_NE(again.ciphertext, enc.ciphertext);
  EXPECT_NE(again.shared_secret, enc.shared_secret);
}

}  // namespace
}  // namespace candor::crypto
