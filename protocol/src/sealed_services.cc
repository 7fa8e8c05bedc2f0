#include "candor/protocol/sealed_services.h"

#include <vector>

#include "candor/crypto/x3dh.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/wire.h"

namespace candor::protocol {

Result<crypto::SenderCertificate> CertifyBundle(const crypto::Ed25519KeyPair& directory,
                                                ByteView bundle, uint64_t expires_at) {
  CANDOR_ASSIGN_OR_RETURN(crypto::PrekeyBundle decoded, DecodePrekeyBundle(bundle));
  CANDOR_RETURN_IF_ERROR(crypto::VerifyPrekeyBundle(decoded));
  return crypto::IssueSenderCertificate(directory, decoded.account, decoded.identity_key,
                                        expires_at);
}

Result<Bytes> AnswerTokenRequest(const crypto::TokenKey& token_key,
                                 const crypto::Ed25519KeyPair& signing, std::string_view account,
                                 ByteView request, uint64_t issued_at, uint64_t expires_at,
                                 crypto::RandomSource& rng, size_t* issued) {
  CANDOR_ASSIGN_OR_RETURN(std::vector<crypto::Ed25519PublicKey> keys, DecodeTokenRequest(request));
  std::vector<crypto::ModerationToken> tokens;
  tokens.reserve(keys.size());
  for (const crypto::Ed25519PublicKey& key : keys) {
    CANDOR_ASSIGN_OR_RETURN(crypto::ModerationToken token,
                            crypto::IssueModerationToken(token_key, signing, account, issued_at,
                                                         key, expires_at, rng));
    tokens.push_back(std::move(token));
  }
  if (issued != nullptr) *issued = tokens.size();
  return EncodeTokenResponse(tokens);
}

}  // namespace candor::protocol
