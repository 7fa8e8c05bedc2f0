#include "candor/crypto/versions.h"

#include <sodium.h>

namespace candor::crypto {

// Needs no sodium_init(): the string is static data of the library.
std::string_view SodiumVersion() { return sodium_version_string(); }

}  // namespace candor::crypto
