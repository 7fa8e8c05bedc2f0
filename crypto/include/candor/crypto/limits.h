// Every hard limit of candor, in one place (as libsignal's consts.rs).
// Later modules add theirs here rather than scattering magic numbers.
#ifndef CANDOR_CRYPTO_LIMITS_H_
#define CANDOR_CRYPTO_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace candor {

// --- Passphrase stretching (Argon2id, crypto_pwhash) -------------------------
// The floor is libsodium's INTERACTIVE profile, the weakest setting libsodium
// documents as acceptable for interactive logins; anything below is refused
// rather than silently weakening a store key. The ceilings stop a corrupt or
// hostile parameter record from asking for absurd time or memory.
inline constexpr uint64_t kArgon2idMinOpsLimit = 2;
inline constexpr uint64_t kArgon2idMaxOpsLimit = 16;
inline constexpr size_t kArgon2idMinMemLimitBytes = size_t{64} << 20;   // 64 MiB
inline constexpr size_t kArgon2idMaxMemLimitBytes = size_t{1} << 30;    // 1 GiB
// Default: libsodium's MODERATE profile (3 passes, 256 MiB), ~0.7 s here.
inline constexpr uint64_t kArgon2idDefaultOpsLimit = 3;
inline constexpr size_t kArgon2idDefaultMemLimitBytes = size_t{256} << 20;
inline constexpr size_t kArgon2idSaltBytes = 16;
inline constexpr size_t kMaxPassphraseBytes = 1024;

// --- HKDF --------------------------------------------------------------------
// RFC 5869: L <= 255 * HashLen.
inline constexpr size_t kHkdfSha256MaxOutputBytes = 255 * 32;

}  // namespace candor

#endif  // CANDOR_CRYPTO_LIMITS_H_
