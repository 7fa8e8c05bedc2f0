#include "schema.h"

#include <string>

#include "search_index.h"

namespace candor::storage::internal {
namespace {

struct Migration {
  int64_t version;
  const char* sql;
};

// Never edit a released migration: add a new one. Migrations 1-5 were
// written for SQLCipher 3.4.1 (SQLite 3.15.2); from 6 on, SQLite is 3.51.
const Migration kMigrations[] = {
    {1, R"sql(
      -- This device: one row.
      CREATE TABLE identity (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        account     TEXT NOT NULL,
        seed        BLOB NOT NULL CHECK (length(seed) = 32),
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE signed_prekeys (
        id          INTEGER PRIMARY KEY,
        private_key BLOB NOT NULL CHECK (length(private_key) = 32),
        signature   BLOB NOT NULL CHECK (length(signature) = 64),
        created_at  INTEGER NOT NULL,
        retired_at  INTEGER
      );
      -- Deleted when consumed, in the transaction that stores the session.
      CREATE TABLE one_time_prekeys (
        id          INTEGER PRIMARY KEY,
        private_key BLOB NOT NULL CHECK (length(private_key) = 32),
        handed_out  INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE conversations (
        id          INTEGER PRIMARY KEY,
        peer        TEXT NOT NULL UNIQUE,
        next_order  INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE sessions (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        state       BLOB NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        local_order     INTEGER NOT NULL,
        direction       INTEGER NOT NULL CHECK (direction IN (0, 1)),  -- 0 in, 1 out
        sender          TEXT NOT NULL,
        recipient       TEXT NOT NULL,
        server_time     INTEGER,            -- outgoing: NULL until the relay acknowledged
        stored_at       INTEGER NOT NULL,
        content         BLOB NOT NULL,      -- serialized Content, verbatim
        -- The franking opening lives in the message row, so it is deleted
        -- with it and a stored message costs no extra page.
        franking_key    BLOB NOT NULL CHECK (length(franking_key) = 32),
        commitment      BLOB NOT NULL CHECK (length(commitment) = 32),
        relay_tag       BLOB CHECK (relay_tag IS NULL OR length(relay_tag) = 32),
        UNIQUE (conversation_id, local_order)
      );
      -- Relay acks find outgoing messages by commitment. Incoming messages
      -- stay out of the index: receiving writes one random index page fewer.
      CREATE UNIQUE INDEX messages_outgoing_commitment ON messages(commitment)
        WHERE direction = 1;
      -- One marker per received envelope (a hash of its bytes): a second
      -- delivery is a duplicate even after the message itself expired.
      CREATE TABLE received_envelopes (
        digest      BLOB PRIMARY KEY CHECK (length(digest) = 32),
        received_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    )sql"},
    {2, R"sql(
      -- Disappearing messages: per conversation, seconds after storing.
      ALTER TABLE conversations ADD COLUMN disappear_after INTEGER;
      ALTER TABLE messages ADD COLUMN expires_at INTEGER;
      CREATE INDEX messages_expiry ON messages(expires_at) WHERE expires_at IS NOT NULL;
      -- What this device disclosed in reports.
      CREATE TABLE reports (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
        peer            TEXT NOT NULL,
        reason          TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        message_count   INTEGER NOT NULL,
        preview         BLOB NOT NULL,      -- exactly what the user was shown
        sealed          BLOB NOT NULL       -- exactly what was handed out
      );
    )sql"},
    {3, R"sql(
      -- One-time prekey ids come from a counter that survives consumption:
      -- an id is never reused, so an old bundle cannot name a new key.
      ALTER TABLE identity ADD COLUMN next_one_time_prekey_id INTEGER NOT NULL DEFAULT 1;
      -- To whom each report was sealed (the moderation service's public key).
      ALTER TABLE reports ADD COLUMN moderator_key BLOB
        CHECK (moderator_key IS NULL OR length(moderator_key) = 32);
    )sql"},
    {4, R"sql(
      -- A report's plaintext (preview, sealed copy) is kept no longer than
      -- the messages it shows: emptied by PurgeExpired at this time (NULL:
      -- kept until the user deletes the entry).
      ALTER TABLE reports ADD COLUMN content_expires_at INTEGER;
      ALTER TABLE reports ADD COLUMN content_purged INTEGER NOT NULL DEFAULT 0
        CHECK (content_purged IN (0, 1));
    )sql"},
    {5, R"sql(
      -- The peer's identity key this device trusts (first use, then only
      -- changes the user accepted), and a changed key waiting for the user.
      -- Stores from before v5 fill it in from the session on first use.
      CREATE TABLE peer_identities (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        identity_key    BLOB NOT NULL CHECK (length(identity_key) = 32),
        verified        INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
        pending_key     BLOB CHECK (pending_key IS NULL OR length(pending_key) = 32),
        pending_since   INTEGER
      );
      -- History markers: "the safety number changed" between two messages.
      CREATE TABLE identity_changes (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        local_order     INTEGER NOT NULL,
        old_key         BLOB NOT NULL CHECK (length(old_key) = 32),
        new_key         BLOB NOT NULL CHECK (length(new_key) = 32),
        detected_at     INTEGER NOT NULL,
        accepted_at     INTEGER
      );
      -- Deliveries from a pending key, still encrypted, until it is accepted.
      CREATE TABLE held_deliveries (
        digest          BLOB PRIMARY KEY CHECK (length(digest) = 32),
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        identity_key    BLOB NOT NULL CHECK (length(identity_key) = 32),
        delivery        BLOB NOT NULL,
        held_at         INTEGER NOT NULL,
        seq             INTEGER NOT NULL
      );
    )sql"},
    // Local search: the FTS5 index (search_index.h), filled from the stored
    // messages.
    {6, kSearchSchemaSql},
    {7, R"sql(
      -- PQXDH (DESIGN.md "Post-quantum session setup"): ML-KEM-768 prekeys,
      -- decapsulation keys at rest (FIPS 203 dk: it embeds the public key
      -- and its hash, checked when a key is loaded).
      CREATE TABLE pq_signed_prekeys (
        id                INTEGER PRIMARY KEY,
        decapsulation_key BLOB NOT NULL CHECK (length(decapsulation_key) = 2400),
        signature         BLOB NOT NULL CHECK (length(signature) = 64),
        created_at        INTEGER NOT NULL,
        retired_at        INTEGER
      );
      -- Deleted when consumed, in the transaction that stores the session.
      CREATE TABLE pq_one_time_prekeys (
        id                INTEGER PRIMARY KEY,
        decapsulation_key BLOB NOT NULL CHECK (length(decapsulation_key) = 2400)
      );
      -- First messages accepted on a last-resort key, remembered until the
      -- key is deleted, so a repeat is refused.
      CREATE TABLE pq_last_resort_uses (
        pq_prekey_id     INTEGER NOT NULL REFERENCES pq_signed_prekeys(id) ON DELETE CASCADE,
        signed_prekey_id INTEGER NOT NULL,
        ephemeral_key    BLOB NOT NULL CHECK (length(ephemeral_key) = 32),
        PRIMARY KEY (pq_prekey_id, signed_prekey_id, ephemeral_key)
      ) WITHOUT ROWID;
      -- Peers the user allowed classical (X3DH) sessions with, when their
      -- bundle has no ML-KEM prekey.
      CREATE TABLE classical_peers (
        peer TEXT PRIMARY KEY
      ) WITHOUT ROWID;
      ALTER TABLE identity ADD COLUMN next_pq_one_time_prekey_id INTEGER NOT NULL DEFAULT 1;
      -- Set with the first ML-KEM prekey, never cleared: from then on a
      -- classical first message is refused.
      ALTER TABLE identity ADD COLUMN pq_required INTEGER NOT NULL DEFAULT 0
        CHECK (pq_required IN (0, 1));
    )sql"},
    {8, R"sql(
      -- Groups (DESIGN.md "Groups (Sender Keys)"): the membership as this
      -- device holds it, and its own sender key; the group's history is the
      -- conversation whose peer is the group's key (an account can never be
      -- one: it starts with a control character).
      CREATE TABLE groups (
        id              BLOB PRIMARY KEY CHECK (length(id) = 32),
        conversation_id INTEGER NOT NULL UNIQUE REFERENCES conversations(id),
        state           BLOB NOT NULL,      -- candor.local.GroupStateRecord
        own_key         BLOB NOT NULL,      -- candor.local.OwnSenderKeyRecord
        updated_at      INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Members' sender keys, one row each: a group message reads and
      -- writes one row, whatever the group's size. Looked up by the
      -- envelope's sender and the message's key id.
      CREATE TABLE group_sender_keys (
        sender   TEXT NOT NULL,
        key_id   INTEGER NOT NULL,
        group_id BLOB NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        key      BLOB NOT NULL,             -- candor.local.MemberSenderKeyRecord
        PRIMARY KEY (sender, key_id, group_id)
      ) WITHOUT ROWID;
      CREATE INDEX group_sender_keys_group ON group_sender_keys(group_id, sender);
    )sql"},
    {9, R"sql(
      -- Sealed sender (DESIGN.md "Sealed sender with verifiable reports").
      -- The public keys this device trusts: the directory's certificate key
      -- and the moderation service's token-signing key.
      CREATE TABLE sealed_pins (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        directory  BLOB NOT NULL CHECK (length(directory) = 32),
        moderation BLOB NOT NULL CHECK (length(moderation) = 32)
      );
      -- This device's sender certificates (encoded SenderCertificate), each
      -- checked when added; sends use the one that expires last.
      CREATE TABLE sender_certificates (
        expires_at  INTEGER PRIMARY KEY,
        certificate BLOB NOT NULL
      );
      -- One-use key pairs this device drew (the secret half never leaves
      -- it); token is NULL until the service's answer is added, then the
      -- encoded token. A used token is deleted with its key.
      CREATE TABLE moderation_tokens (
        one_use_key  BLOB PRIMARY KEY CHECK (length(one_use_key) = 32),
        seed         BLOB NOT NULL CHECK (length(seed) = 32),
        requested_at INTEGER NOT NULL,
        token        BLOB,
        expires_at   INTEGER,
        CHECK ((token IS NULL) = (expires_at IS NULL))
      ) WITHOUT ROWID;
      -- One-use keys seen on sealed messages received, per sender: the
      -- second message under one is refused.
      CREATE TABLE seen_tokens (
        sender      TEXT NOT NULL,
        one_use_key BLOB NOT NULL CHECK (length(one_use_key) = 32),
        expires_at  INTEGER NOT NULL,
        PRIMARY KEY (sender, one_use_key)
      ) WITHOUT ROWID;
    )sql"},
    {10, R"sql(
      -- A message sent or received sealed keeps the proof its Frame carried
      -- (encoded SealedProof) for reports; NULL for one sent unsealed.
      ALTER TABLE messages ADD COLUMN sealed_proof BLOB;
    )sql"},
};

}  // namespace

int64_t CurrentSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<void> Migrate(Database& db, int64_t target,
                     const std::function<void(uint64_t, uint64_t)>& progress) {
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("PRAGMA user_version"));
  if (version > CurrentSchemaVersion()) {
    return Error(Errc::kSchemaTooNew, "database schema version " + std::to_string(version) +
                                          " is newer than this candor (" +
                                          std::to_string(CurrentSchemaVersion()) + ")");
  }
  if (version == 0) {
    CANDOR_RETURN_IF_ERROR(
        db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
  }
  uint64_t total = 0, done = 0;
  for (const Migration& m : kMigrations) total += m.version > version && m.version <= target;
  for (const Migration& m : kMigrations) {
    if (m.version <= version || m.version > target) continue;
    CANDOR_RETURN_IF_ERROR(db.Exec(m.sql));
    CANDOR_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(m.version)));
    if (progress) progress(++done, total);
  }
  return tx.Commit();
}

}  // namespace candor::storage::internal
