#include "candor/crypto/hkdf.h"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "candor/crypto/limits.h"
#include "sodium_support.h"

namespace candor::crypto {

using internal::Ptr;

static_assert(crypto_auth_hmacsha256_BYTES == kHkdfSha256PrkBytes);

namespace {

// Wipes the HMAC state (it holds the key) however the scope is left.
struct HmacState {
  crypto_auth_hmacsha256_state state;
  ~HmacState() { candor::internal::SecureWipe(&state, sizeof state); }
};

}  // namespace

SecretArray<kHkdfSha256PrkBytes> HkdfSha256Extract(ByteView salt, ByteView ikm) {
  internal::EnsureSodium();
  // HMAC pads short keys with zeros, so an empty salt already equals the
  // RFC's default of HashLen zero bytes.
  HmacState h;
  SecretArray<kHkdfSha256PrkBytes> prk;
  crypto_auth_hmacsha256_init(&h.state, Ptr(salt), salt.size());
  crypto_auth_hmacsha256_update(&h.state, Ptr(ikm), ikm.size());
  crypto_auth_hmacsha256_final(&h.state, prk.Expose().data());
  return prk;
}

Result<SecretBytes> HkdfSha256Expand(const SecretArray<kHkdfSha256PrkBytes>& prk,
                                     ByteView info, size_t length) {
  if (length > kHkdfSha256MaxOutputBytes) {
    return Error(Errc::kOutputTooLong,
                 "HKDF-SHA256 output of " + std::to_string(length) +
                     " bytes exceeds 255 * 32");
  }
  internal::EnsureSodium();
  SecretBytes okm(length);
  SecretArray<kHkdfSha256PrkBytes> t;  // T(i)
  size_t t_len = 0;                    // T(0) is empty
  size_t done = 0;
  for (uint8_t counter = 1; done < length; ++counter) {
    // T(i) = HMAC(PRK, T(i-1) || info || i)
    HmacState h;
    crypto_auth_hmacsha256_init(&h.state, prk.Expose().data(), prk.size());
    crypto_auth_hmacsha256_update(&h.state, t.Expose().data(), t_len);
    crypto_auth_hmacsha256_update(&h.state, Ptr(info), info.size());
    crypto_auth_hmacsha256_update(&h.state, &counter, 1);
    crypto_auth_hmacsha256_final(&h.state, t.Expose().data());
    t_len = t.size();
    const size_t take = std::min(t.size(), length - done);
    std::copy_n(t.Expose().begin(), take, okm.Expose().begin() + static_cast<ptrdiff_t>(done));
    done += take;
  }
  return okm;
}

Result<SecretBytes> HkdfSha256(ByteView salt, ByteView ikm, ByteView info, size_t length) {
  return HkdfSha256Expand(HkdfSha256Extract(salt, ikm), info, length);
}

}  // namespace candor::crypto
