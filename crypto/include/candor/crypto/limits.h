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

// --- Accounts ----------------------------------------------------------------
// Account names are UTF-8 and enter the cryptography as lp(name), so they
// must fit a u16 length; candor keeps them far shorter.
inline constexpr size_t kMaxAccountBytes = 128;

// --- Double Ratchet (DESIGN.md "Double Ratchet with header encryption") -----
// Message keys skipped in one chain by one message; a larger jump is refused
// without changing state (libsignal's MAX_FORWARD_JUMPS plays this role).
inline constexpr uint32_t kMaxSkip = 1000;
// Skipped message keys kept per session; the oldest is evicted beyond this.
inline constexpr size_t kMaxSkippedKeys = 2000;

// --- Groups (DESIGN.md "Groups (Sender Keys)") ---------------------------------
// Devices in one group, the creator included.
inline constexpr size_t kMaxGroupMembers = 1024;
// Iterations one group message may skip in its sender's chain; a larger jump
// is refused without changing state. Skipped group keys are bounded and
// expire as a session's are (kMaxSkippedKeys, kSkippedKeyTtlSeconds).
inline constexpr uint32_t kMaxGroupSkip = 2000;
// A group's name (UTF-8, no control character) and avatar, and the accounts
// one membership change may name: a change travels in one pairwise message
// (kMaxContentBytes), so a group of kMaxGroupMembers is made in steps.
inline constexpr size_t kMaxGroupNameBytes = 256;
inline constexpr size_t kMaxGroupAvatarBytes = 16 * 1024;
inline constexpr size_t kMaxGroupChangeAccounts = 256;
// Skipped keys older than this (caller-supplied clock) are discarded.
inline constexpr uint64_t kSkippedKeyTtlSeconds = 30ull * 24 * 60 * 60;

// --- Keys and markers a device keeps (storage) -------------------------------
// Disappearing-message timers are 1 second to ten years: a message expires
// at its storing time plus the timer, which must not overflow.
inline constexpr uint64_t kMaxDisappearingTimerSeconds = 10ull * 365 * 24 * 60 * 60;
// A retired signed prekey still opens first messages this long after its
// successor took over: a peer may hold the old bundle, and its first message
// may wait at the relay while this device is offline. Then PurgeExpired
// deletes it.
inline constexpr uint64_t kRetiredSignedPrekeySeconds = 30ull * 24 * 60 * 60;
// Replay markers are kept this long, then PurgeExpired deletes them. The
// ratchet refuses a replay on its own (the message key is gone once used);
// the marker makes the answer kDuplicateMessage whatever the chain, and it
// costs a 32-byte digest and a receive time per message, so it is not kept
// for ever. It lives as long as skipped keys do, so when a marker goes,
// every message key of its time has gone already.
inline constexpr uint64_t kReplayMarkerSeconds = kSkippedKeyTtlSeconds;

// --- Wire format (protocol/) ---------------------------------------------------
// Plaintexts are padded to Padmé buckets of at least kMinPaddingBucket and
// at most kMaxPaddedPlaintextBytes (docs/wire-format.md); the relay sees only
// the bucket.
inline constexpr size_t kMinPaddingBucket = 256;
inline constexpr size_t kMaxPaddedPlaintextBytes = 65536;
// Serialized Content: what fits the largest bucket with the Frame's fields
// (franking key and two field headers) and the 0x80 padding marker.
inline constexpr size_t kMaxContentBytes = kMaxPaddedPlaintextBytes - 64;
// Size caps, checked before anything is parsed. Each is the largest valid
// encoding plus headroom for field headers, not a round guess.
inline constexpr size_t kMaxRatchetMessageBytes = kMaxPaddedPlaintextBytes + 16 + 80 + 16;
// + the PQXDH fields: pq_kind, pq_prekey_id and the 1,088-byte ML-KEM ciphertext.
inline constexpr size_t kMaxPrekeyMessageBytes = kMaxRatchetMessageBytes + 128 + 1104;
// A sealed one-to-one payload: crypto_box_seal (48 bytes) around
// lp(sender) || content type || the largest prekey message.
inline constexpr size_t kMaxSealedPayloadBytes = kMaxPrekeyMessageBytes + 2 + kMaxAccountBytes + 1 + 48;
inline constexpr size_t kMaxEnvelopeBytes = kMaxSealedPayloadBytes + 2 * kMaxAccountBytes + 64;
inline constexpr size_t kMaxDeliveryBytes = kMaxEnvelopeBytes + 64;
inline constexpr size_t kMaxRelayAckBytes = kMaxAccountBytes + 96;
// Two ML-KEM-768 prekeys (1,184 bytes each) with their ids and signatures.
// A GroupMessage: kid, hidden header, the largest bucket + tag, signature,
// field header; a GroupEnvelope adds every recipient's name.
inline constexpr size_t kMaxGroupMessageBytes = kMaxPaddedPlaintextBytes + 4 + 76 + 16 + 64 + 8;
inline constexpr size_t kMaxGroupEnvelopeBytes =
    kMaxGroupMessageBytes + 8 + kMaxGroupMembers * (kMaxAccountBytes + 3) + 64;
inline constexpr size_t kMaxPrekeyBundleBytes = kMaxAccountBytes + 256 + 2 * (1184 + 64 + 16);
// A session with the maximum of skipped keys (about 60 bytes each) fits.
inline constexpr size_t kMaxSessionStateBytes = 256 * 1024;

// --- Attachments (attachment/, DESIGN.md "Attachments") ------------------------
// One attachment's plaintext, sealed in chunks of kBlobChunkBytes.
inline constexpr uint64_t kMaxAttachmentBytes = uint64_t{2} << 30;  // 2 GiB
inline constexpr size_t kBlobChunkBytes = 65536;
// A message's pointers travel in its Content (kMaxContentBytes in all): a
// few attachments, each with a small thumbnail, fit one message.
inline constexpr size_t kMaxAttachmentsPerMessage = 10;
inline constexpr size_t kMaxThumbnailBytes = 16 * 1024;
// "type/subtype" (RFC 6838 restricted names are at most 127 characters
// each), and a file name short enough that a reader can save it under a
// prefix ("<blob id>-", 65 bytes) with a temporary suffix (12 bytes) within
// NAME_MAX (255).
inline constexpr size_t kMaxMediaTypeBytes = 255;
inline constexpr size_t kMaxFileNameBytes = 160;
// The reference blob store keeps a blob this long after its upload.
inline constexpr uint64_t kDefaultBlobRetentionSeconds = 30ull * 24 * 60 * 60;

// --- Sealed sender (DESIGN.md "Sealed sender with verifiable reports") ----------
// A sender certificate (account, identity key, expiry, signature) and a
// moderation token (nonce, the sealed account, one-use key, expiry,
// signature), each as the largest account makes them plus field headers.
inline constexpr size_t kMaxSenderCertificateBytes = kMaxAccountBytes + 128;
inline constexpr size_t kMaxModerationTokenBytes = kMaxAccountBytes + 192;
// Certificate, token and the token's 64-byte signature with their headers:
// what a sealed Frame carries beside the content, so sealed content is that
// much shorter than kMaxContentBytes.
inline constexpr size_t kMaxSealedProofBytes =
    kMaxSenderCertificateBytes + kMaxModerationTokenBytes + 80;
inline constexpr size_t kMaxSealedContentBytes = kMaxContentBytes - kMaxSealedProofBytes - 8;
// Tokens one request may ask for: a device refills in batches, and the
// service's issuance limits (per account and day) are its own policy.
inline constexpr size_t kMaxTokensPerRequest = 100;
inline constexpr size_t kMaxTokenRequestBytes = 1 + kMaxTokensPerRequest * 34 + 16;
inline constexpr size_t kMaxTokenResponseBytes =
    1 + kMaxTokensPerRequest * (kMaxModerationTokenBytes + 3) + 16;
// Expiry times are Unix seconds a store can hold (SQLite integers are
// signed): a later one is refused rather than wrapped to a negative time.
inline constexpr uint64_t kMaxExpiryTime = uint64_t{INT64_MAX};
// A device sends with a certificate or token only if it stays valid at
// least this long: the recipient checks it at the relay's later time.
inline constexpr uint64_t kSealedCredentialMarginSeconds = 600;
// How long the reference directory's certificates and the reference token
// service's tokens stay valid (candor cert issue / tokens issue --days):
// by default, and at most. Short lives bound what a stolen device can send.
inline constexpr uint64_t kDefaultSealedCredentialDays = 7;
inline constexpr uint64_t kMaxSealedCredentialDays = 90;
// A device asks for more tokens when it holds fewer than this.
inline constexpr size_t kLowTokenThreshold = 10;
// One-use keys drawn for a request the service never answered are deleted
// this long after they were drawn.
inline constexpr uint64_t kUnansweredTokenRequestSeconds = 30ull * 24 * 60 * 60;

// --- Reports (report/) -----------------------------------------------------------
// The reported message plus the four immediately before it in the same
// conversation, both directions (DESIGN.md "Reports"). Never more.
inline constexpr size_t kReportWindow = 5;
// A serialized ReportBundle (version byte included): five messages of the
// largest content, their openings and addresses, and the header fields.
inline constexpr size_t kMaxReportBundleBytes =
    1 + kReportWindow * (kMaxContentBytes + 2 * kMaxAccountBytes + 3 * 32 + 64) +
    2 * kMaxAccountBytes + 64;
// Reports are padded to Padmé buckets up to this one (a power of two, so a
// bucket itself), then sealed (48 bytes of crypto_box_seal overhead).
inline constexpr size_t kMaxReportPaddedBytes = 512 * 1024;
inline constexpr size_t kMaxReportSealedBytes = kMaxReportPaddedBytes + 48;
static_assert(kMaxReportBundleBytes < kMaxReportPaddedBytes);
// The preview JSON: base64 content plus text, which JSON escaping can grow
// up to six-fold (\u0000).
inline constexpr size_t kMaxReportPreviewBytes = 4 * 1024 * 1024;

// How far in the future a report's creation time may be when submitted.
inline constexpr uint64_t kMaxReportClockSkewSeconds = 300;

// --- Metadata policy -------------------------------------------------------------
// One egress log line (a record lists field names, never values), and a
// whole log handed to the audit.
inline constexpr size_t kMaxEgressLogLineBytes = 64 * 1024;
inline constexpr size_t kMaxEgressLogBytes = 256 * 1024 * 1024;

// --- Client ----------------------------------------------------------------------
// The most messages one history call returns (a page; use a cursor for more).
inline constexpr size_t kMaxHistoryPage = 1000;

// Local search (storage::Store::Search): a query's size, the most results
// one call returns, and the words a result's snippet shows.
inline constexpr size_t kMaxSearchQueryBytes = 1024;
inline constexpr size_t kMaxSearchResults = 1000;
inline constexpr int kSnippetWords = 16;

// Deliveries from a peer's new identity key, held (still encrypted) until
// the user accepts the change; past this many per peer the oldest goes, so a
// peer cannot fill the store while the user has not looked.
inline constexpr size_t kMaxHeldDeliveries = 100;

// --- Fingerprints (safety numbers) ---------------------------------------------
// Iterations of BLAKE2b-512 per party, to raise the cost of searching for an
// identity key with a colliding number (Signal iterates SHA-512 5200 times).
inline constexpr uint32_t kFingerprintIterations = 5200;

}  // namespace candor

#endif  // CANDOR_CRYPTO_LIMITS_H_
