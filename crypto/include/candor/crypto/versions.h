// The version of libsodium linked at run time, for `candor version` and
// audits: the library's own answer, not the header candor was built with.
#ifndef CANDOR_CRYPTO_VERSIONS_H_
#define CANDOR_CRYPTO_VERSIONS_H_

#include <string_view>

namespace candor::crypto {

// sodium_version_string(), e.g. "1.0.18".
std::string_view SodiumVersion();

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_VERSIONS_H_
