#include "candor/crypto/secret.h"

#include <sodium.h>

namespace candor::internal {

void SecureWipe(void* data, size_t size) {
  if (data != nullptr && size != 0) sodium_memzero(data, size);
}

bool ConstantTimeEqual(const void* a, const void* b, size_t size) {
  if (size == 0) return true;
  return sodium_memcmp(a, b, size) == 0;
}

}  // namespace candor::internal
