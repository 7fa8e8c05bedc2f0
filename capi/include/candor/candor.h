/* candor — the stable C ABI (docs/embedding.md).
 *
 * Opaque handles with explicit create/free; every buffer and string candor
 * returns is owned by the caller afterwards and freed with candor_buffer_free
 * / candor_string_free. Functions return CANDOR_OK (0) or an error code (the
 * numeric values of candor's Errc, stable; candor_error_name gives the
 * stable name) and leave a human-readable message for the calling thread in
 * candor_last_error_message(). No C++ exception crosses this boundary.
 *
 * Threading: a candor_client is not thread-safe; use each from one thread at
 * a time. The free-standing functions (relay, moderation, key generation)
 * are safe from any thread.
 *
 * Nothing here opens a socket: outgoing bytes are returned for the embedder
 * to transmit (every one already passed candor's egress guard). */
#ifndef CANDOR_CANDOR_H_
#define CANDOR_CANDOR_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change of this header. 2: groups
 * (candor_received gained group_id and group_event). */
#define CANDOR_ABI_VERSION 2

#if defined(__GNUC__)
#define CANDOR_API __attribute__((visibility("default")))
#else
#define CANDOR_API
#endif

#define CANDOR_KEY_BYTES 32

/* Return codes: candor's Errc values (crypto/errc.h), grouped by layer. */
#define CANDOR_OK 0
#define CANDOR_ERR_INTERNAL 1
#define CANDOR_ERR_INVALID_ARGUMENT 2
#define CANDOR_ERR_OUT_OF_MEMORY 3
#define CANDOR_ERR_CANCELLED 5
#define CANDOR_ERR_TRUNCATED 100
#define CANDOR_ERR_TRAILING_BYTES 101
#define CANDOR_ERR_INVALID_KEY 200
#define CANDOR_ERR_DECRYPT_FAILED 203
#define CANDOR_ERR_INVALID_ACCOUNT 300
#define CANDOR_ERR_INVALID_STATE 302
#define CANDOR_ERR_DUPLICATE_MESSAGE 304
#define CANDOR_ERR_FRANKING_MISMATCH 306
#define CANDOR_ERR_PREVIEW_MISMATCH 307
#define CANDOR_ERR_IDENTITY_CHANGED 310
#define CANDOR_ERR_PQ_PREKEY_MISSING 311
#define CANDOR_ERR_SEALED_CREDENTIAL_MISSING 312
#define CANDOR_ERR_BAD_SENDER_CERTIFICATE 313
#define CANDOR_ERR_BAD_MODERATION_TOKEN 314
#define CANDOR_ERR_TOKEN_REUSED 315
#define CANDOR_ERR_MESSAGE_TOO_LARGE 400
#define CANDOR_ERR_MALFORMED 402
#define CANDOR_ERR_BAD_FIELD_LENGTH 404
#define CANDOR_ERR_FIELD_OUT_OF_RANGE 405
#define CANDOR_ERR_BAD_PADDING 407
#define CANDOR_ERR_WRONG_PEER 408
#define CANDOR_ERR_WRONG_KEY 500
#define CANDOR_ERR_NOT_A_CANDOR_DATABASE 501
#define CANDOR_ERR_DATABASE_LOCKED 502
#define CANDOR_ERR_NOT_FOUND 503
#define CANDOR_ERR_ALREADY_EXISTS 504
#define CANDOR_ERR_SCHEMA_TOO_NEW 505
#define CANDOR_ERR_STORAGE_FAILED 506
#define CANDOR_ERR_ALREADY_OPEN 507
#define CANDOR_ERR_POLICY_VIOLATION 600
/* Other codes (the 100s decoding, 200s crypto, 400s wire) are named by
 * candor_error_name; docs/errors.md lists them all. */

typedef struct candor_client candor_client;

/* Bytes owned by the caller once returned; free with candor_buffer_free. */
typedef struct candor_buffer {
  uint8_t* data;
  size_t size;
} candor_buffer;

/* Progress of long work (a migration on open, a catch-up batch). */
typedef void (*candor_progress_fn)(void* context, uint64_t done, uint64_t total);

/* "0.1.0" */
CANDOR_API const char* candor_version(void);
/* CANDOR_ABI_VERSION of the library actually loaded. */
CANDOR_API int candor_abi_version(void);
/* The stable name of an error code ("duplicate_message", …). */
CANDOR_API const char* candor_error_name(int code);
/* The message of the last error on this thread ("" if none). Valid until
 * the next candor call on this thread. Never contains key material or
 * message text. */
CANDOR_API const char* candor_last_error_message(void);

CANDOR_API void candor_buffer_free(candor_buffer* buffer);
CANDOR_API void candor_string_free(char* string);

/* --- Devices ---------------------------------------------------------------- */

/* A new device: creates the encrypted store at `path` with a raw 32-byte key
 * (from the platform keystore), an identity for `account` and a signed
 * prekey. Nothing is left behind on failure. */
CANDOR_API int candor_client_create(const char* path, const uint8_t key[CANDOR_KEY_BYTES],
                                    const char* account, candor_client** out);
/* An existing device. `progress` (may be NULL) is told while an older store
 * is migrated. */
CANDOR_API int candor_client_open(const char* path, const uint8_t key[CANDOR_KEY_BYTES],
                                  candor_progress_fn progress, void* progress_context,
                                  candor_client** out);
/* The same with a passphrase (Argon2id; the salt lives in the store). */
CANDOR_API int candor_client_create_with_passphrase(const char* path, const char* passphrase,
                                                    const char* account, candor_client** out);
CANDOR_API int candor_client_open_with_passphrase(const char* path, const char* passphrase,
                                                  candor_progress_fn progress,
                                                  void* progress_context, candor_client** out);
CANDOR_API void candor_client_free(candor_client* client);

/* This device's account name (owned by the client). */
CANDOR_API const char* candor_client_account(const candor_client* client);

/* A prekey bundle for the directory, with a fresh one-time prekey. */
CANDOR_API int candor_client_bundle(candor_client* client, candor_buffer* bundle);

/* Encrypts `text` (UTF-8) for `peer`; the first message to a peer needs its
 * bundle (NULL/0 otherwise). The envelope is for the relay. */
CANDOR_API int candor_client_send(candor_client* client, const char* peer, const char* text,
                                  const uint8_t* bundle, size_t bundle_size,
                                  int64_t* message_id, candor_buffer* envelope);

typedef struct candor_received {
  int64_t message_id;  /* 0 for a group control message (no history entry) */
  char* from;  /* owned: candor_received_free */
  char* text;  /* owned: candor_received_free; "" for a group control message */
  uint64_t server_time;
  /* A group message or group control message: its group, 64 hex digits;
   * NULL otherwise. Owned: candor_received_free. */
  char* group_id;
  /* A group control message: what it did ("joined", "changed", "removed",
   * "displaced", "sender_key", "confirmed", "view_differs", "already_applied",
   * "lost_tie_break"; docs/groups.md); NULL for a message. Owned. */
  char* group_event;
} candor_received;
CANDOR_API void candor_received_free(candor_received* received);

/* A delivery from the relay. A second copy is CANDOR_ERR_DUPLICATE_MESSAGE.
 * `*out` is zeroed first, so it is safe to free on any return. Everything
 * that can fail (including allocating `from` and `text`) happens before the
 * store commits: CANDOR_OK means stored and returned, any error means the
 * message was not stored (CANDOR_ERR_IDENTITY_CHANGED: it is held, still
 * encrypted, until the user decides; docs/identity.md). */
CANDOR_API int candor_client_receive(candor_client* client, const uint8_t* delivery,
                                     size_t delivery_size, candor_received* out);

/* A catch-up of `count` deliveries in one transaction. `results[i]` gets
 * CANDOR_OK or the code for delivery i, and `received[i]` its message (to be
 * freed with candor_received_free when results[i] is CANDOR_OK). Every
 * entry is set on every return: a refused delivery's `received[i]` is zeroed,
 * and when the call fails as a whole nothing is stored and every
 * `results[i]` is that same code. As for candor_client_receive, all
 * allocation happens before the commit. */
CANDOR_API int candor_client_receive_batch(candor_client* client, const candor_buffer* deliveries,
                                           size_t count, candor_progress_fn progress,
                                           void* progress_context, int* results,
                                           candor_received* received);

/* The relay's acknowledgement of a sent message. */
CANDOR_API int candor_client_handle_ack(candor_client* client, const uint8_t* ack,
                                        size_t ack_size, int64_t* message_id);

/* The newest `limit` messages with `peer`, oldest first, as JSON:
 * {"messages":[{"id","direction","from","to","text","server_time"},…]}. */
CANDOR_API int candor_client_history_json(candor_client* client, const char* peer, size_t limit,
                                          char** json);
/* Full-text search of the stored messages, newest first (docs/client.md):
 * `query` in FTS5 syntax (words, "a phrase", prefix*, AND/OR/NOT), `peer`
 * NULL for every conversation, `limit` 1..1000. As JSON:
 * {"results":[{"id","with","direction","from","to","stored_at","server_time",
 * "snippet"},…]}. CANDOR_ERR_INVALID_ARGUMENT for a query FTS5 cannot parse. */
CANDOR_API int candor_client_search_json(candor_client* client, const char* query,
                                         const char* peer, size_t limit, char** json);
/* The 60-digit safety number with `peer`. */
CANDOR_API int candor_client_fingerprint(candor_client* client, const char* peer,
                                         char** fingerprint);

/* --- Groups (docs/groups.md) ------------------------------------------------------- */
/* What a group operation hands out, to transmit in this order: `envelopes`
 * (over pairwise sessions: changes, welcomes, sender keys; relay each with
 * candor_relay), then, for a group message, `group_envelope` (size 0
 * otherwise; for candor_relay_group). Everything is stored before it is
 * returned. Free with candor_group_operation_free. */
typedef struct candor_group_operation {
  char* group_id;  /* 64 hex digits */
  int64_t message_id;  /* candor_client_group_send: the message's history entry */
  candor_buffer* envelopes;
  size_t envelope_count;
  candor_buffer group_envelope;
} candor_group_operation;
CANDOR_API void candor_group_operation_free(candor_group_operation* operation);

/* `bundles`: prekey bundles (as candor_client_bundle makes them) of members
 * this device has no session with yet; may be NULL with count 0. A bundle
 * carrying a new identity key for its account records a pending identity
 * change (the operation then fails with CANDOR_ERR_IDENTITY_CHANGED). Every
 * operation is one transaction: on any error nothing is stored or returned.
 *
 * A new group: this device its only admin, `members` the others. */
CANDOR_API int candor_client_group_create(candor_client* client, const char* name,
                                          const uint8_t* avatar, size_t avatar_size,
                                          const char* const* members, size_t member_count,
                                          const candor_buffer* bundles, size_t bundle_count,
                                          candor_group_operation* out);
/* Membership changes (admins; any member leaves). `accounts` for add,
 * remove and admin; `name` for rename (NULL otherwise). */
#define CANDOR_GROUP_ADD 1
#define CANDOR_GROUP_REMOVE 2
#define CANDOR_GROUP_MAKE_ADMIN 3
#define CANDOR_GROUP_RENAME 4
#define CANDOR_GROUP_LEAVE 5
CANDOR_API int candor_client_group_change(candor_client* client, const char* group_id, int change,
                                          const char* const* accounts, size_t account_count,
                                          const char* name, const candor_buffer* bundles,
                                          size_t bundle_count, candor_group_operation* out);
/* --- Attachments (docs/attachments.md) ------------------------------------- */

/* Streams, so a 2 GiB video never sits in memory. A reader fills up to
 * `capacity` bytes and returns how many (0 at the end, negative on error);
 * a writer takes `size` bytes and returns 0 (nonzero: error). A transfer
 * callback is told after each 64 KiB chunk and returns nonzero to go on,
 * 0 to cancel (CANDOR_ERR_CANCELLED). A callback must not call into, or
 * free, the client (or attachment) it is running for. */
typedef int64_t (*candor_read_fn)(void* context, uint8_t* buffer, size_t capacity);
typedef int (*candor_write_fn)(void* context, const uint8_t* data, size_t size);
typedef int (*candor_transfer_fn)(void* context, uint64_t done, uint64_t total);

/* An attachment sealed for sending; holds its key until freed (wiped). */
typedef struct candor_attachment candor_attachment;

/* Seals `length` bytes read from `read` into a blob written to `write`
 * (upload it to the blob store with candor_attachment_upload_request's
 * bytes), padded, under a fresh key. `media_type` ("image/jpeg"),
 * `file_name` (a base name) and `thumbnail` are optional (NULL / 0). The
 * blob is only good when this returns CANDOR_OK. */
CANDOR_API int candor_attachment_seal(candor_client* client, candor_read_fn read,
                                      void* read_context, uint64_t length,
                                      candor_write_fn write, void* write_context,
                                      const char* media_type, const char* file_name,
                                      const uint8_t* thumbnail, size_t thumbnail_size,
                                      candor_transfer_fn progress, void* progress_context,
                                      candor_attachment** out);
CANDOR_API void candor_attachment_free(candor_attachment* attachment);
/* The blob's id (32 bytes; zeros for a NULL attachment) and size. */
CANDOR_API void candor_attachment_blob_id(const candor_attachment* attachment, uint8_t id[32]);
CANDOR_API uint64_t candor_attachment_blob_size(const candor_attachment* attachment);
/* The request that goes to the blob store with the blob (checked by the
 * egress guard; channel "blob_store"). */
CANDOR_API int candor_attachment_upload_request(const candor_attachment* attachment,
                                                candor_buffer* request);
/* candor_client_send with attachments (`text` may be "" then). The
 * attachments stay the caller's: free them afterwards. */
CANDOR_API int candor_client_send_with_attachments(
    candor_client* client, const char* peer, const char* text,
    const candor_attachment* const* attachments, size_t attachment_count, const uint8_t* bundle,
    size_t bundle_size, int64_t* message_id, candor_buffer* envelope);
/* candor_client_group_send with attachments. */
CANDOR_API int candor_client_group_send_with_attachments(
    candor_client* client, const char* group_id, const char* text,
    const candor_attachment* const* attachments, size_t attachment_count,
    const candor_buffer* bundles, size_t bundle_count, candor_group_operation* out);
/* A stored message's attachments: [{"blob_id","length","blob_size",
 * "media_type","file_name","thumbnail_bytes"},…] (history JSON has them too). */
CANDOR_API int candor_client_attachments_json(candor_client* client, int64_t message_id,
                                              char** json);
/* The thumbnail the sender gave attachment `index` (from 0) of message
 * `message_id` (empty when none). */
CANDOR_API int candor_client_attachment_thumbnail(candor_client* client, int64_t message_id,
                                                  size_t index, candor_buffer* thumbnail);
/* The request to fetch attachment `index` (from 0) of message `message_id`
 * from the blob store. */
CANDOR_API int candor_client_attachment_fetch_request(candor_client* client, int64_t message_id,
                                                      size_t index, candor_buffer* request);
/* Decrypts the fetched blob (read from `read`) into `write`, checking the
 * blob id, every chunk, the end, the padding and the digest. What `write`
 * received is only good when this returns CANDOR_OK: write to a temporary
 * file and keep it only then. */
CANDOR_API int candor_client_attachment_open(candor_client* client, int64_t message_id,
                                             size_t index, candor_read_fn read,
                                             void* read_context, candor_write_fn write,
                                             void* write_context, candor_transfer_fn progress,
                                             void* progress_context);

/* A group message (UTF-8 `text`, the rules of candor_client_send). */
CANDOR_API int candor_client_group_send(candor_client* client, const char* group_id,
                                        const char* text, const candor_buffer* bundles,
                                        size_t bundle_count, candor_group_operation* out);
/* {"groups":[{"id","name","epoch","active","members":[{"account","admin"}]}]} */
CANDOR_API int candor_client_groups_json(candor_client* client, char** json);
/* The group's newest `limit` messages, as candor_client_history_json. */
CANDOR_API int candor_client_group_history_json(candor_client* client, const char* group_id,
                                                size_t limit, char** json);
/* The preview of reporting group message `message_id` (and the four before
 * it in that group); submit it with candor_client_report_submit. */
CANDOR_API int candor_client_group_report_prepare(candor_client* client, const char* group_id,
                                                  int64_t message_id, const char* reason,
                                                  char** preview_json);

/* --- Identity changes (docs/identity.md) ------------------------------------- */

/* A peer who reinstalled comes with a new identity key: receive and send then
 * fail with CANDOR_ERR_IDENTITY_CHANGED, its messages are held, and nothing is
 * sent to it until the user decides. JSON: {"with","verified","safety_number",
 * "session_setup":"pqxdh"|"x3dh"|null,
 * "pending":{"old_safety_number","new_safety_number","detected_at"}|null}. */
CANDOR_API int candor_client_identity_json(candor_client* client, const char* peer, char** json);
/* The user accepts the new key (a contact whose safety number was verified
 * needs candor_client_verify_identity instead: CANDOR_ERR_INVALID_STATE).
 * `shown_safety_number` (may be NULL): the new safety number the user was
 * shown; CANDOR_ERR_INVALID_ARGUMENT if the pending key is not that one.
 * The held messages are received now; JSON: a list, one entry each,
 * {"message_id","from","text","server_time"} or {"error":{"code","message"}}. */
CANDOR_API int candor_client_accept_identity_change(candor_client* client, const char* peer,
                                                    const char* shown_safety_number,
                                                    char** received_json);
/* The user compared `safety_number` (60 digits) with the peer: the key it
 * belongs to (the pending one, which is then accepted as above, or the
 * current one) is marked verified. CANDOR_ERR_INVALID_ARGUMENT when it does
 * not match; nothing changes then. */
CANDOR_API int candor_client_verify_identity(candor_client* client, const char* peer,
                                             const char* safety_number, char** received_json);
/* The user refuses the new key: it and what it sent are dropped. */
CANDOR_API int candor_client_reject_identity_change(candor_client* client, const char* peer);

/* --- Keys, timers and clean-up ------------------------------------------------- */

/* A new signed prekey under the next id, and a new signed ML-KEM prekey with
 * it; publish a bundle afterwards. Rotate about weekly: the keys they
 * replace still open first messages for 30 days, then
 * candor_client_purge_expired deletes them. */
CANDOR_API int candor_client_rotate_signed_prekey(candor_client* client,
                                                  uint32_t* signed_prekey_id);
/* New sessions are PQXDH (X25519 + ML-KEM-768): a first message to a peer
 * whose bundle has no ML-KEM prekey (an older candor) fails with
 * CANDOR_ERR_PQ_PREKEY_MISSING unless classical X3DH sessions with that peer
 * were allowed here (`allow` 1; 0 refuses them again, the default). Stored
 * on the device; a bundle with an ML-KEM prekey always gets PQXDH. */
CANDOR_API int candor_client_allow_classical_sessions(candor_client* client, const char* peer,
                                                      int allow);
/* Disappearing messages with `peer`: messages stored from now on expire
 * `seconds` after they were stored; 0 turns the timer off. At most ten
 * years (315360000); CANDOR_ERR_INVALID_ARGUMENT above. */
CANDOR_API int candor_client_set_disappearing_timer(candor_client* client, const char* peer,
                                                    uint64_t seconds);
/* Deletes expired messages (how many in *purged), and retired signed prekeys
 * and replay markers past their retention. Call it periodically (expired
 * messages are never returned in the meantime). */
CANDOR_API int candor_client_purge_expired(candor_client* client, uint64_t* purged);

/* --- Reports (docs/reports.md) ------------------------------------------------- */

/* The preview JSON of reporting message `message_id` of the conversation
 * with `peer` (and the four before it). Nothing leaves the device. `reason`:
 * spam, harassment, threat, sexual_content, impersonation, other. */
CANDOR_API int candor_client_report_prepare(candor_client* client, const char* peer,
                                            int64_t message_id, const char* reason,
                                            char** preview_json);
/* Seals exactly that preview to the moderation service's public key and
 * logs it; refuses an edited preview (CANDOR_ERR_PREVIEW_MISMATCH). The
 * sealed report is for the moderation channel. */
CANDOR_API int candor_client_report_submit(candor_client* client, const char* preview_json,
                                           const uint8_t moderator_public_key[CANDOR_KEY_BYTES],
                                           int64_t* report_id, candor_buffer* sealed);
/* Deletes one entry of the local report log (CANDOR_ERR_NOT_FOUND if none).
 * Without it an entry stays; its preview and sealed copy go by themselves
 * once every message they show has expired (candor_client_purge_expired). */
CANDOR_API int candor_client_delete_report(candor_client* client, int64_t report_id);

/* --- Server side and keys --------------------------------------------------------- */

CANDOR_API int candor_generate_relay_key(uint8_t key[CANDOR_KEY_BYTES]);
CANDOR_API int candor_generate_moderator_keys(uint8_t secret_key[CANDOR_KEY_BYTES],
                                              uint8_t public_key[CANDOR_KEY_BYTES]);

/* The reference relay's group fan-out: a group envelope in, one delivery
 * per recipient (`recipients[i]` gets `deliveries[i]`) and the
 * acknowledgement for the sender out. Free with candor_relayed_group_free. */
typedef struct candor_relayed_group {
  size_t count;
  char** recipients;
  candor_buffer* deliveries;
  candor_buffer ack;
} candor_relayed_group;
CANDOR_API void candor_relayed_group_free(candor_relayed_group* relayed);
CANDOR_API int candor_relay_group(const uint8_t relay_key[CANDOR_KEY_BYTES],
                                  const uint8_t* group_envelope, size_t group_envelope_size,
                                  uint64_t server_time, candor_relayed_group* out);
/* The reference relay step: an envelope in, the delivery for the recipient
 * and the acknowledgement for the sender out. The caller vouches for the
 * sender (a real relay authenticates the connection; docs/relay.md). */
CANDOR_API int candor_relay(const uint8_t relay_key[CANDOR_KEY_BYTES], const uint8_t* envelope,
                            size_t envelope_size, uint64_t server_time, candor_buffer* delivery,
                            candor_buffer* ack);

/* The moderation side: opens a sealed report and judges every message and
 * the window (docs/reports.md "Verdicts").
 * JSON: {"reporter","reported","reason","created_at","verdict","why",
 * "messages":[{"sender","recipient","server_time","text","verdict","why"},…]};
 * each verdict is "verified", "forged" or "unverifiable"; the report's is
 * forged if any message is, else unverifiable if any is. */
CANDOR_API int candor_moderate_json(const uint8_t moderator_secret_key[CANDOR_KEY_BYTES],
                                    const uint8_t relay_key[CANDOR_KEY_BYTES],
                                    const uint8_t* sealed, size_t sealed_size, char** verdict_json);

/* --- Sealed sender (docs/sealed-sender.md) -------------------------------------------
 * The relay learns a sealed message's recipient, never its sender; the
 * recipient checks the sender's certificate and moderation token; a report
 * of it names the sender to the moderation service only. */

/* The directory's certificate key and the moderation service's
 * token-signing key (Ed25519 public keys) this device trusts. */
CANDOR_API int candor_client_pin_sealed_keys(candor_client* client,
                                             const uint8_t directory[CANDOR_KEY_BYTES],
                                             const uint8_t moderation[CANDOR_KEY_BYTES]);
/* A certificate from the directory for this device; `expires_at` (may be
 * NULL) receives its expiry. CANDOR_ERR_SEALED_CREDENTIAL_MISSING before
 * pinning, CANDOR_ERR_BAD_SENDER_CERTIFICATE for one that does not check. */
CANDOR_API int candor_client_add_sender_certificate(candor_client* client, const uint8_t* certificate,
                                                    size_t certificate_size, uint64_t* expires_at);
/* Draws `count` (1..100) one-use keys and hands out the request for the
 * token service (public keys only). */
CANDOR_API int candor_client_request_tokens(candor_client* client, size_t count,
                                            candor_buffer* request);
/* The service's answer, all or nothing; `added` (may be NULL) receives the
 * count. */
CANDOR_API int candor_client_add_tokens(candor_client* client, const uint8_t* response,
                                        size_t response_size, size_t* added);
/* The token supply: usable, drawn but unanswered, and whether to request
 * more (`low` 1). */
CANDOR_API int candor_client_tokens(candor_client* client, size_t* usable, size_t* requested,
                                    int* low);
/* candor_client_send_with_attachments, sealed (attachments may be none).
 * CANDOR_ERR_SEALED_CREDENTIAL_MISSING, with nothing sent or stored, when
 * the device has no certificate or token valid for 10 more minutes: it is
 * never sent unsealed instead. */
CANDOR_API int candor_client_send_sealed(candor_client* client, const char* peer, const char* text,
                                         const candor_attachment* const* attachments,
                                         size_t attachment_count, const uint8_t* bundle,
                                         size_t bundle_size, int64_t* message_id,
                                         candor_buffer* envelope);

/* Server side: the directory's and the token service's keys (Ed25519 seed
 * and public key; the token key k_M), certificates and tokens. Reference
 * implementations: a real directory and service authenticate the device's
 * connection and take the account from it. */
CANDOR_API int candor_generate_signing_key(uint8_t seed[CANDOR_KEY_BYTES],
                                           uint8_t public_key[CANDOR_KEY_BYTES]);
CANDOR_API int candor_generate_token_key(uint8_t token_key[CANDOR_KEY_BYTES]);
/* A certificate for the bundle's account and identity key (the bundle's own
 * signatures are checked), valid until `expires_at` (after now and within
 * 90 days: CANDOR_ERR_INVALID_ARGUMENT otherwise). */
CANDOR_API int candor_issue_sender_certificate(const uint8_t directory_seed[CANDOR_KEY_BYTES],
                                               const uint8_t* bundle, size_t bundle_size,
                                               uint64_t expires_at, candor_buffer* certificate);
/* A token for each key of `request`, sealing `account`, issued `now`,
 * valid until `expires_at` (after `now`, within 90 days). */
CANDOR_API int candor_issue_tokens(const uint8_t signing_seed[CANDOR_KEY_BYTES],
                                   const uint8_t token_key[CANDOR_KEY_BYTES], const char* account,
                                   const uint8_t* request, size_t request_size, uint64_t now,
                                   uint64_t expires_at, candor_buffer* response);
/* candor_moderate_json that also judges sealed messages (verdicts
 * "verified", "forged", "flagged" or "unverifiable"; each message has
 * "sealed" and "token_account"). */
CANDOR_API int candor_moderate_sealed_json(const uint8_t moderator_secret_key[CANDOR_KEY_BYTES],
                                           const uint8_t relay_key[CANDOR_KEY_BYTES],
                                           const uint8_t directory_public[CANDOR_KEY_BYTES],
                                           const uint8_t token_signing_public[CANDOR_KEY_BYTES],
                                           const uint8_t token_key[CANDOR_KEY_BYTES],
                                           const uint8_t* sealed, size_t sealed_size,
                                           char** verdict_json);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif  /* CANDOR_CANDOR_H_ */
