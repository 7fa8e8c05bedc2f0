// Hex encoding of public bytes (keys, tags, test vectors). Secrets are never
// hex-encoded into a std::string.
#ifndef CANDOR_CRYPTO_ENCODING_H_
#define CANDOR_CRYPTO_ENCODING_H_

#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"

namespace candor {

std::string ToHex(ByteView bytes);
// Lower- or upper-case digits, even length; kInvalidEncoding otherwise.
Result<Bytes> FromHex(std::string_view hex);

}  // namespace candor

#endif  // CANDOR_CRYPTO_ENCODING_H_
