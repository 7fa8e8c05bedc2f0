// storage::Store's PQXDH part: ML-KEM-768 prekeys (decapsulation keys at
// rest in the encrypted store), the last-resort uses it remembers, and the
// peers the user allowed classical sessions with.
#include <limits>

#include "candor/crypto/limits.h"
#include "conversation_rows.h"
#include "pq_prekeys.h"
#include "store_impl.h"

namespace candor::storage {

using internal::FixedColumn;
using internal::Transaction;

Result<void> Store::RotatePqSignedPrekey(uint32_t id, const crypto::MlKem768KeyPair& key,
                                         const crypto::Ed25519Signature& signature,
                                         uint64_t now) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(int64_t identities, db.QueryInt("SELECT count(*) FROM identity"));
  if (identities == 0) return Error(Errc::kInvalidState, "no identity: create the device first");
  // As for the X25519 signed prekey: the current key is never deleted and
  // ids only grow, so the highest stored id is the highest ever used.
  CANDOR_ASSIGN_OR_RETURN(int64_t highest,
                          db.QueryInt("SELECT coalesce(max(id), 0) FROM pq_signed_prekeys"));
  if (int64_t{id} <= highest) {
    return Error(Errc::kInvalidArgument,
                 "a new signed ML-KEM prekey id must be above every stored one");
  }
  CANDOR_ASSIGN_OR_RETURN(auto retire, db.Cached(
      "UPDATE OR FAIL pq_signed_prekeys SET retired_at = ? WHERE retired_at IS NULL"));
  retire->BindInt(1, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(retire->Run());
  CANDOR_ASSIGN_OR_RETURN(auto insert, db.Cached(
      "INSERT INTO pq_signed_prekeys(id, decapsulation_key, signature, created_at) "
      "VALUES (?, ?, ?, ?)"));
  insert->BindInt(1, id)
      .BindBlob(2, key.decapsulation_key().Expose())
      .BindBlob(3, signature)
      .BindInt(4, static_cast<int64_t>(now));
  CANDOR_RETURN_IF_ERROR(insert->Run());
  CANDOR_RETURN_IF_ERROR(db.Exec("UPDATE OR FAIL identity SET pq_required = 1"));
  return tx.Commit();
}

Result<std::optional<protocol::PqSignedPrekeyRecord>> Store::CurrentPqSignedPrekey() {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT id, decapsulation_key, signature FROM pq_signed_prekeys WHERE retired_at IS NULL "
      "ORDER BY id DESC LIMIT 1"));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<protocol::PqSignedPrekeyRecord>();
  auto key = crypto::MlKem768KeyPair::FromDecapsulationKey(q->ColumnBlob(1));
  if (!key.has_value()) {
    return Error(Errc::kStorageFailed, "a stored ML-KEM prekey fails its checks");
  }
  CANDOR_ASSIGN_OR_RETURN(auto signature,
                          FixedColumn<crypto::kEd25519SignatureBytes>(*q, 2, "signature"));
  return std::optional<protocol::PqSignedPrekeyRecord>(protocol::PqSignedPrekeyRecord{
      static_cast<uint32_t>(q->ColumnInt(0)), key->public_key(), signature});
}

Result<uint32_t> Store::AddPqOneTimePrekey(const crypto::MlKem768KeyPair& key) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  // Ids from a counter that survives consumption, as for X25519 one-time
  // prekeys: an old bundle can never name a different key by the same id.
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "SELECT max(i.next_pq_one_time_prekey_id, "
      "coalesce((SELECT max(id) + 1 FROM pq_one_time_prekeys), 1)) FROM identity i"));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Error(Errc::kInvalidState, "no identity: create the device first");
  const int64_t id = q->ColumnInt(0);
  q->Reset();
  if (id < 1 || id > int64_t{std::numeric_limits<uint32_t>::max()}) {
    return Error(Errc::kInvalidState, "one-time ML-KEM prekey ids exhausted");
  }
  CANDOR_ASSIGN_OR_RETURN(auto insert, db.Cached(
      "INSERT INTO pq_one_time_prekeys(id, decapsulation_key) VALUES (?, ?)"));
  insert->BindInt(1, id).BindBlob(2, key.decapsulation_key().Expose());
  CANDOR_RETURN_IF_ERROR(insert->Run());
  CANDOR_ASSIGN_OR_RETURN(auto u, db.Cached(
      "UPDATE OR FAIL identity SET next_pq_one_time_prekey_id = ? WHERE id = 1"));
  u->BindInt64(1, id + 1);
  CANDOR_RETURN_IF_ERROR(u->Run());
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return static_cast<uint32_t>(id);
}

Result<crypto::ClassicalFallback> Store::ClassicalFallbackFor(std::string_view peer) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached("SELECT 1 FROM classical_peers WHERE peer = ?"));
  q->BindText(1, peer);
  CANDOR_ASSIGN_OR_RETURN(bool allowed, q->Step());
  q->Reset();
  return allowed ? crypto::ClassicalFallback::kAllow : crypto::ClassicalFallback::kRefuse;
}

Result<void> Store::SetClassicalFallback(std::string_view peer,
                                         crypto::ClassicalFallback fallback) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(peer));
  CANDOR_ASSIGN_OR_RETURN(
      auto q, impl_->db.Cached(fallback == crypto::ClassicalFallback::kAllow
                                   ? "INSERT INTO classical_peers(peer) VALUES (?) "
                                     "ON CONFLICT (peer) DO NOTHING"
                                   : "DELETE FROM classical_peers WHERE peer = ?"));
  q->BindText(1, peer);
  return q->Run();
}

// Loaded and checked on every call (a consumed or purged key is gone from
// the table). The pointer stays valid until the next call or the end of the
// transaction, when the key is wiped (Store::InTransaction): a used
// one-time key must not outlive its row in memory.
Result<const crypto::MlKem768KeyPair*> Store::FindPqPrekey(crypto::PqPrekeyKind kind,
                                                           uint32_t id) {
  impl_->pq_prekey.reset();
  CANDOR_ASSIGN_OR_RETURN(
      auto q, impl_->db.Cached(kind == crypto::PqPrekeyKind::kLastResort
                                   ? "SELECT decapsulation_key FROM pq_signed_prekeys WHERE id = ?"
                                   : "SELECT decapsulation_key FROM pq_one_time_prekeys WHERE id = ?"));
  q->BindInt(1, id);
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return static_cast<const crypto::MlKem768KeyPair*>(nullptr);
  auto key = crypto::MlKem768KeyPair::FromDecapsulationKey(q->ColumnBlob(0));
  q->Reset();
  if (!key.has_value()) {
    return Error(Errc::kStorageFailed, "a stored ML-KEM prekey fails its checks");
  }
  impl_->pq_prekey.emplace(std::move(*key));
  return &*impl_->pq_prekey;
}

Result<bool> Store::PqRequired() {
  CANDOR_ASSIGN_OR_RETURN(int64_t required,
                          impl_->db.QueryInt("SELECT coalesce(max(pq_required), 0) FROM identity"));
  return required != 0;
}

Result<bool> Store::LastResortUsed(const protocol::LastResortUse& use) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT 1 FROM pq_last_resort_uses "
      "WHERE pq_prekey_id = ? AND signed_prekey_id = ? AND ephemeral_key = ?"));
  q->BindInt(1, use.pq_prekey_id).BindInt(2, use.signed_prekey_id)
      .BindBlob(3, use.ephemeral_key.bytes());
  CANDOR_ASSIGN_OR_RETURN(bool used, q->Step());
  q->Reset();
  return used;
}

Result<void> internal::RecordPqPrekeyUse(Database& db, const protocol::IncomingMessage& m) {
  if (m.consumed_pq_one_time_prekey) {
    CANDOR_ASSIGN_OR_RETURN(auto del, db.Cached("DELETE FROM pq_one_time_prekeys WHERE id = ?"));
    del->BindInt(1, *m.consumed_pq_one_time_prekey);
    CANDOR_RETURN_IF_ERROR(del->Run());
    if (db.Changes() != 1) {  // as for the X25519 one-time prekey (CommitReceived)
      return Error(Errc::kInvalidKey, "one-time ML-KEM prekey already used");
    }
  }
  if (m.last_resort_use) {
    CANDOR_ASSIGN_OR_RETURN(auto insert, db.Cached(
        "INSERT INTO pq_last_resort_uses(pq_prekey_id, signed_prekey_id, ephemeral_key) "
        "VALUES (?, ?, ?)"));
    insert->BindInt(1, m.last_resort_use->pq_prekey_id)
        .BindInt(2, m.last_resort_use->signed_prekey_id)
        .BindBlob(3, m.last_resort_use->ephemeral_key.bytes());
    CANDOR_RETURN_IF_ERROR(insert->Run());
  }
  return Ok();
}

}  // namespace candor::storage
