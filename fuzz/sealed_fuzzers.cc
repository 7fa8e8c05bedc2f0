#include "sealed_fuzzers.h"

#include <algorithm>

#include "candor/protocol/sealed_wire.h"
#include "fuzz_check.h"

namespace candor::fuzz {

using namespace candor::protocol;

namespace {

bool SameToken(const crypto::ModerationToken& a, const crypto::ModerationToken& b) {
  return a.nonce == b.nonce && a.sealed_account == b.sealed_account &&
         a.one_use_key == b.one_use_key && a.expires_at == b.expires_at &&
         a.signature == b.signature;
}

}  // namespace

void FuzzSenderCertificate(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodeSenderCertificate, EncodeSenderCertificate,
            [](const crypto::SenderCertificate& a, const crypto::SenderCertificate& b) {
              return a.account == b.account && a.identity_key == b.identity_key &&
                     a.expires_at == b.expires_at && a.signature == b.signature;
            });
}

void FuzzTokenRequest(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodeTokenRequest, EncodeTokenRequest,
            [](const auto& a, const auto& b) { return a == b; });
}

void FuzzTokenResponse(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodeTokenResponse, EncodeTokenResponse,
            [](const std::vector<crypto::ModerationToken>& a,
               const std::vector<crypto::ModerationToken>& b) {
              return std::equal(a.begin(), a.end(), b.begin(), b.end(), SameToken);
            });
}

void FuzzSealedInner(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodeSealedInner, EncodeSealedInner,
            [](const SealedInner& a, const SealedInner& b) {
              return a.sender == b.sender && a.content_type == b.content_type &&
                     a.payload == b.payload;
            });
}

}  // namespace candor::fuzz
