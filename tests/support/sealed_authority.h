// The services a sealed sender needs, played in tests: the directory that
// certifies devices and the moderation service that issues tokens (and
// whose keys a moderator judges sealed reports with).
#ifndef CANDOR_TESTS_SUPPORT_SEALED_AUTHORITY_H_
#define CANDOR_TESTS_SUPPORT_SEALED_AUTHORITY_H_

#include <string_view>

#include "candor/client/client.h"
#include "candor/client/clock.h"
#include "candor/crypto/random.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/report/verifier.h"

namespace candor::testing {

class SealedAuthority {
 public:
  SealedAuthority(crypto::RandomSource& rng, client::Clock& clock);

  // The service's answer to a token request: a token for each key, sealing
  // `account`, signed by `signer` (the service's own key when null).
  Bytes Answer(ByteView request, std::string_view account,
               const crypto::Ed25519KeyPair* signer = nullptr);
  // A certificate for `account` and `identity`, valid `seconds` from now.
  crypto::SenderCertificate Certify(std::string_view account,
                                    const crypto::Ed25519PublicKey& identity, uint64_t seconds);
  // A token for `account` on a fresh one-use key (a modified client's own).
  std::pair<crypto::ModerationToken, crypto::Ed25519KeyPair> Token(std::string_view account);
  // Pins both keys on `c`, adds a week's certificate and `tokens` tokens.
  void Provision(client::Client& c, size_t tokens);
  // What the moderator judges sealed messages with.
  report::SealedModerationKeys ModerationKeys() const;

  const crypto::Ed25519KeyPair& directory() const { return directory_; }
  const crypto::Ed25519KeyPair& moderator() const { return moderator_; }
  const crypto::TokenKey& token_key() const { return token_key_; }

  static constexpr uint64_t kWeek = 7 * 86'400;

 private:
  crypto::RandomSource& rng_;
  client::Clock& clock_;
  crypto::Ed25519KeyPair directory_;
  crypto::Ed25519KeyPair moderator_;
  crypto::TokenKey token_key_;
};

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_SEALED_AUTHORITY_H_
