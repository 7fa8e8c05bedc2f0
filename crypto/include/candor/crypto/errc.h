// The single error-code enum of candor. Codes are grouped by the layer that
// first produces them; their numeric values are part of the C ABI once it
// exists, so new codes are appended within a group, never renumbered.
#ifndef CANDOR_CRYPTO_ERRC_H_
#define CANDOR_CRYPTO_ERRC_H_

#include <cstdint>
#include <string_view>

namespace candor {

enum class Errc : uint16_t {
  // General.
  kInternal = 1,          // a bug in candor; never caused by input
  kInvalidArgument = 2,   // caller passed a value outside the documented range
  kOutOfMemory = 3,       // an allocation (e.g. Argon2 memory) failed
  kCryptoInitFailed = 4,  // libsodium could not initialise
  kCancelled = 5,         // the caller's progress callback stopped a long operation

  // Fixed-layout decoding (ByteReader).
  kTruncated = 100,       // input ended before a field
  kTrailingBytes = 101,   // input continued after the last field
  kInvalidEncoding = 102, // e.g. bad hex digits

  // Cryptographic failures.
  kInvalidKey = 200,          // wrong key length or unusable key bytes
  kWeakKey = 201,             // DH produced the all-zero value (low-order point)
  kBadSignature = 202,        // Ed25519 verification failed
  kDecryptFailed = 203,       // AEAD / sealed box authentication failed
  kBadMac = 204,              // HMAC tag mismatch
  kOutputTooLong = 205,       // e.g. HKDF length above 255 * HashLen

  // Sessions (X3DH, Double Ratchet, franking).
  kInvalidAccount = 300,       // account name empty or longer than kMaxAccountBytes
  kBadPrekeySignature = 301,   // signed prekey signature does not verify
  kInvalidState = 302,         // operation not possible in this session state
  kHeaderDecryptFailed = 303,  // header opens under no known header key
  kDuplicateMessage = 304,     // message key already used (replay / duplicate)
  kTooManySkipped = 305,       // message claims a jump beyond kMaxSkip
  kFrankingMismatch = 306,     // franking commitment or relay tag does not match
  kPreviewMismatch = 307,      // a report preview differs from the stored messages it names
  kIdentityChanged = 310,      // the peer's identity key changed: held until the user accepts it
  kPqPrekeyMissing = 311,      // no valid signed ML-KEM prekey (PQXDH) where one is required
  kSealedCredentialMissing = 312,  // a sealed send without a valid sender certificate or token
  kBadSenderCertificate = 313,     // certificate unsigned, expired, or naming another sender or key
  kBadModerationToken = 314,       // token unsigned or expired, or its signature over c fails
  kTokenReused = 315,              // a one-use moderation token seen before from this sender

  // Wire format (protocol/): one code per decoding layer.
  kMessageTooLarge = 400,     // input above the type's size cap
  kUnsupportedVersion = 401,  // version byte missing or not 1
  kMalformed = 402,           // not a parseable protobuf message of the type
  kUnknownField = 403,        // a field this version does not define
  kBadFieldLength = 404,      // a key / signature / tag of the wrong length
  kFieldOutOfRange = 405,     // a value outside its bounds (account, enum, size)
  kMissingField = 406,        // a required field absent
  kBadPadding = 407,          // plaintext padding not 0x80 then zeros to a bucket
  kWrongPeer = 408,           // envelope not between this session's two accounts

  // Storage (storage/).
  kWrongKey = 500,             // the key does not open this database
  kNotACandorDatabase = 501,   // a plain SQLite file, another app's database, or no database
  kDatabaseLocked = 502,       // another connection holds the lock
  kNotFound = 503,             // no such file or record
  kAlreadyExists = 504,        // Create on an existing path
  kSchemaTooNew = 505,         // written by a newer candor; refused, never downgraded
  kStorageFailed = 506,        // any other SQLite / file-system failure
  kAlreadyOpen = 507,          // this process already has this store open (one handle per file)

  // Metadata policy (protocol/egress.h).
  kPolicyViolation = 600,      // the egress guard refused: a field or message not allowed on the channel
};

// Stable snake_case name of a code, e.g. "bad_signature" (used in JSON output).
std::string_view ErrcName(Errc code);

}  // namespace candor

#endif  // CANDOR_CRYPTO_ERRC_H_
