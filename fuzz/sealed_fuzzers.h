// Sealed sender's decoders (protocol/sealed_wire.h): each that accepts an
// input must encode it again, and decoding that encoding must give the same
// value back.
#ifndef CANDOR_FUZZ_SEALED_FUZZERS_H_
#define CANDOR_FUZZ_SEALED_FUZZERS_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

// A directory's sender certificate (version byte + SenderCertificate).
void FuzzSenderCertificate(const uint8_t* data, size_t size);
// A device's token request, and the service's response.
void FuzzTokenRequest(const uint8_t* data, size_t size);
void FuzzTokenResponse(const uint8_t* data, size_t size);
// What a recipient reads once a sealed envelope's box opens: lp(sender) ||
// content type || prekey or ratchet message.
void FuzzSealedInner(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_SEALED_FUZZERS_H_
