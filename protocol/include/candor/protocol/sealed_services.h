// The reference directory's and token service's answers for sealed sender
// (docs/sealed-sender.md), shared by `candor cert issue` / `tokens issue`,
// the C ABI's candor_issue_* and the demo. A real service authenticates the
// device's connection and takes the account from it; these take it from
// the caller.
#ifndef CANDOR_PROTOCOL_SEALED_SERVICES_H_
#define CANDOR_PROTOCOL_SEALED_SERVICES_H_

#include <cstdint>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sealed_sender.h"

namespace candor::protocol {

// A certificate for the account and identity key of an encoded prekey
// bundle, whose own signatures must verify (a certificate only for a key
// that signs its prekeys). Returns the certificate.
Result<crypto::SenderCertificate> CertifyBundle(const crypto::Ed25519KeyPair& directory,
                                                ByteView bundle, uint64_t expires_at);

// The TokenResponse to an encoded TokenRequest: a token for each one-use
// key, sealing `account`, issued at `issued_at`, valid until `expires_at`.
// `issued` (may be null) receives how many.
Result<Bytes> AnswerTokenRequest(const crypto::TokenKey& token_key,
                                 const crypto::Ed25519KeyPair& signing, std::string_view account,
                                 ByteView request, uint64_t issued_at, uint64_t expires_at,
                                 crypto::RandomSource& rng, size_t* issued = nullptr);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_SEALED_SERVICES_H_
