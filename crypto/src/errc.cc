#include "candor/crypto/errc.h"

#include <cstdio>
#include <cstdlib>

#include "candor/crypto/result.h"

namespace candor {

std::string_view ErrcName(Errc code) {
  switch (code) {
    case Errc::kInternal: return "internal";
    case Errc::kInvalidArgument: return "invalid_argument";
    case Errc::kOutOfMemory: return "out_of_memory";
    case Errc::kCryptoInitFailed: return "crypto_init_failed";
    case Errc::kCancelled: return "cancelled";
    case Errc::kTruncated: return "truncated";
    case Errc::kTrailingBytes: return "trailing_bytes";
    case Errc::kInvalidEncoding: return "invalid_encoding";
    case Errc::kInvalidKey: return "invalid_key";
    case Errc::kWeakKey: return "weak_key";
    case Errc::kBadSignature: return "bad_signature";
    case Errc::kDecryptFailed: return "decrypt_failed";
    case Errc::kBadMac: return "bad_mac";
    case Errc::kOutputTooLong: return "output_too_long";
    case Errc::kInvalidAccount: return "invalid_account";
    case Errc::kBadPrekeySignature: return "bad_prekey_signature";
    case Errc::kInvalidState: return "invalid_state";
    case Errc::kHeaderDecryptFailed: return "header_decrypt_failed";
    case Errc::kDuplicateMessage: return "duplicate_message";
    case Errc::kTooManySkipped: return "too_many_skipped";
    case Errc::kFrankingMismatch: return "franking_mismatch";
    case Errc::kPreviewMismatch: return "preview_mismatch";
    case Errc::kMessageTooLarge: return "message_too_large";
    case Errc::kUnsupportedVersion: return "unsupported_version";
    case Errc::kMalformed: return "malformed";
    case Errc::kUnknownField: return "unknown_field";
    case Errc::kBadFieldLength: return "bad_field_length";
    case Errc::kFieldOutOfRange: return "field_out_of_range";
    case Errc::kMissingField: return "missing_field";
    case Errc::kBadPadding: return "bad_padding";
    case Errc::kWrongPeer: return "wrong_peer";
    case Errc::kWrongKey: return "wrong_key";
    case Errc::kNotACandorDatabase: return "not_a_candor_database";
    case Errc::kDatabaseLocked: return "database_locked";
    case Errc::kIdentityChanged: return "identity_changed";
    case Errc::kPqPrekeyMissing: return "pq_prekey_missing";
    case Errc::kSealedCredentialMissing: return "sealed_credential_missing";
    case Errc::kBadSenderCertificate: return "bad_sender_certificate";
    case Errc::kBadModerationToken: return "bad_moderation_token";
    case Errc::kTokenReused: return "token_reused";
    case Errc::kAlreadyOpen: return "already_open";
    case Errc::kNotFound: return "not_found";
    case Errc::kAlreadyExists: return "already_exists";
    case Errc::kSchemaTooNew: return "schema_too_new";
    case Errc::kStorageFailed: return "storage_failed";
    case Errc::kPolicyViolation: return "policy_violation";
  }
  return "unknown";
}

namespace internal {

void DieOnBadResultAccess(const Error& error) {
  // Reaching here is a bug in the caller (it did not check has_value()).
  // The message is candor's own error text, which never holds secrets.
  std::fprintf(stderr, "candor: bad Result access: %.*s: %s\n",
               static_cast<int>(ErrcName(error.code()).size()),
               ErrcName(error.code()).data(), error.message().c_str());
  std::abort();
}

}  // namespace internal
}  // namespace candor
