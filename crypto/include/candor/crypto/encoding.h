// Hex encoding of public bytes (keys, tags, test vectors). Secrets are never
// hex-encoded into a std::string.
#ifndef CANDOR_CRYPTO_ENCODING_H_
#define CANDOR_CRYPTO_ENCODING_H_

#include <string>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"

namespace candor {

std::string ToHex(ByteView bytes);
// Hex of secret bytes, into wiped memory (constant time, sodium_bin2hex);
// `prefix` and `suffix` are written around it, e.g. SQLCipher's x'...'.
SecretBytes ToHexSecret(ByteView bytes, std::string_view prefix = {},
                        std::string_view suffix = {});
// Lower- or upper-case digits, even length; kInvalidEncoding otherwise.
Result<Bytes> FromHex(std::string_view hex);
// FromHex into wiped memory, for keys given as hex (an environment variable,
// a key file). Constant time in the digits (sodium_hex2bin).
Result<SecretBytes> FromHexSecret(std::string_view hex);

}  // namespace candor

#endif  // CANDOR_CRYPTO_ENCODING_H_
