// storage::Store's sealed-sender part (docs/sealed-sender.md): the pinned
// directory and moderation keys, this device's certificates, its one-use
// token keys and tokens (the secret halves at rest in the encrypted store,
// deleted with the token once used), and the one-use keys seen from each
// sender.
#include "candor/crypto/limits.h"
#include "candor/protocol/sealed_wire.h"
#include "conversation_rows.h"
#include "store_impl.h"

namespace candor::storage {

using internal::FixedColumn;
using internal::Transaction;

namespace {

Result<crypto::Ed25519PublicKey> KeyColumn(internal::Statement& q, int column) {
  auto key = crypto::Ed25519PublicKey::FromBytes(q.ColumnBlob(column));
  if (!key.has_value()) return Error(Errc::kStorageFailed, "a stored public key is malformed");
  return key;
}

// A stored token is kept as a one-token TokenResponse: the wire's own
// encoding and checks.
Result<Bytes> EncodeToken(const crypto::ModerationToken& token) {
  return protocol::EncodeTokenResponse({token});
}
Result<crypto::ModerationToken> DecodeToken(ByteView bytes) {
  auto tokens = protocol::DecodeTokenResponse(bytes);
  if (!tokens.has_value() || tokens->size() != 1) {
    return Error(Errc::kStorageFailed, "a stored moderation token is malformed");
  }
  return std::move(tokens->front());
}

// Credentials a send may use at `now` stay valid for the margin beyond it.
int64_t UsableUntil(uint64_t now) {
  const uint64_t t = now > kMaxExpiryTime - kSealedCredentialMarginSeconds
                         ? kMaxExpiryTime
                         : now + kSealedCredentialMarginSeconds;
  return static_cast<int64_t>(t);
}

}  // namespace

Result<void> Store::PinSealedKeys(const SealedPins& pins) {
  CANDOR_ASSIGN_OR_RETURN(auto old, LoadSealedPins());
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  // Credentials checked under other keys are not kept: a certificate from
  // a directory the user no longer trusts must not go out. Drawn keys
  // still waiting for tokens stay (their tokens are checked on arrival).
  if (old && old->directory != pins.directory) {
    CANDOR_RETURN_IF_ERROR(db.Exec("DELETE FROM sender_certificates"));
  }
  if (old && old->moderation != pins.moderation) {
    CANDOR_RETURN_IF_ERROR(db.Exec("DELETE FROM moderation_tokens WHERE token IS NOT NULL"));
  }
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "INSERT INTO sealed_pins(id, directory, moderation) VALUES (1, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET directory = excluded.directory, "
      "moderation = excluded.moderation"));
  q->BindBlob(1, pins.directory.bytes()).BindBlob(2, pins.moderation.bytes());
  CANDOR_RETURN_IF_ERROR(q->Run());
  return tx.Commit();
}

Result<std::optional<Store::SealedPins>> Store::LoadSealedPins() {
  CANDOR_ASSIGN_OR_RETURN(auto q,
                          impl_->db.Cached("SELECT directory, moderation FROM sealed_pins"));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<SealedPins>();
  CANDOR_ASSIGN_OR_RETURN(auto directory, KeyColumn(*q, 0));
  CANDOR_ASSIGN_OR_RETURN(auto moderation, KeyColumn(*q, 1));
  q->Reset();
  return std::optional<SealedPins>(SealedPins{directory, moderation});
}

Result<void> Store::AddSenderCertificate(const crypto::SenderCertificate& certificate,
                                         uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto pins, LoadSealedPins());
  if (!pins) {
    return Error(Errc::kSealedCredentialMissing,
                 "no directory key is pinned: a certificate cannot be checked");
  }
  CANDOR_ASSIGN_OR_RETURN(auto identity, LoadIdentity());
  if (!identity) {
    return Error(Errc::kSealedCredentialMissing, "no identity: create the device first");
  }
  CANDOR_RETURN_IF_ERROR(crypto::VerifySenderCertificate(pins->directory, certificate, now));
  if (certificate.account != identity->account ||
      certificate.identity_key != identity->identity.public_key()) {
    return Error(Errc::kBadSenderCertificate,
                 "the certificate is for another account or identity key than this device's");
  }
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeSenderCertificate(certificate));
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "INSERT INTO sender_certificates(expires_at, certificate) VALUES (?, ?) "
      "ON CONFLICT (expires_at) DO UPDATE SET certificate = excluded.certificate"));
  q->BindInt(1, static_cast<int64_t>(certificate.expires_at)).BindBlob(2, encoded);
  return q->Run();
}

Result<std::optional<crypto::SenderCertificate>> Store::CurrentSenderCertificate(uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT certificate FROM sender_certificates WHERE expires_at >= ? "
      "ORDER BY expires_at DESC LIMIT 1"));
  q->BindInt(1, UsableUntil(now));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<crypto::SenderCertificate>();
  auto certificate = protocol::DecodeSenderCertificate(q->ColumnBlob(0));
  q->Reset();
  if (!certificate.has_value()) {
    return Error(Errc::kStorageFailed, "a stored sender certificate is malformed");
  }
  return std::optional<crypto::SenderCertificate>(std::move(*certificate));
}

Result<std::vector<crypto::Ed25519PublicKey>> Store::DrawTokenKeys(size_t count, uint64_t now,
                                                                   crypto::RandomSource& rng) {
  if (count == 0 || count > kMaxTokensPerRequest) {
    return Error(Errc::kInvalidArgument, "a token request asks for 1.." +
                                             std::to_string(kMaxTokensPerRequest) + " tokens");
  }
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto insert, db.Cached(
      "INSERT INTO moderation_tokens(one_use_key, seed, requested_at) VALUES (?, ?, ?)"));
  std::vector<crypto::Ed25519PublicKey> keys;
  keys.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const auto pair = crypto::Ed25519KeyPair::Generate(rng);
    insert->BindBlob(1, pair.public_key().bytes())
        .BindBlob(2, pair.Seed().Expose())
        .BindInt(3, static_cast<int64_t>(now));
    CANDOR_RETURN_IF_ERROR(insert->Run());
    insert->Reset();
    keys.push_back(pair.public_key());
  }
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return keys;
}

Result<size_t> Store::AddTokens(const std::vector<crypto::ModerationToken>& tokens,
                                uint64_t now) {
  if (tokens.empty()) return Error(Errc::kInvalidArgument, "no tokens to add");
  CANDOR_ASSIGN_OR_RETURN(auto pins, LoadSealedPins());
  if (!pins) {
    return Error(Errc::kSealedCredentialMissing,
                 "no moderation key is pinned: tokens cannot be checked");
  }
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CANDOR_ASSIGN_OR_RETURN(auto update, db.Cached(
      "UPDATE moderation_tokens SET token = ?, expires_at = ? "
      "WHERE one_use_key = ? AND token IS NULL"));
  for (const auto& token : tokens) {
    CANDOR_RETURN_IF_ERROR(crypto::VerifyModerationToken(pins->moderation, token, now));
    CANDOR_ASSIGN_OR_RETURN(Bytes encoded, EncodeToken(token));
    update->BindBlob(1, encoded)
        .BindInt(2, static_cast<int64_t>(token.expires_at))
        .BindBlob(3, token.one_use_key.bytes());
    CANDOR_RETURN_IF_ERROR(update->Run());
    update->Reset();
    if (db.Changes() != 1) {
      // Returning drops the transaction: none of the tokens is kept.
      return Error(Errc::kBadModerationToken,
                   "a token is for a key this device did not draw, or that has a token already");
    }
  }
  CANDOR_RETURN_IF_ERROR(tx.Commit());
  return tokens.size();
}

Result<std::optional<Store::UsableToken>> Store::NextToken(uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT token, seed FROM moderation_tokens WHERE token IS NOT NULL AND expires_at >= ? "
      "ORDER BY expires_at, one_use_key LIMIT 1"));
  q->BindInt(1, UsableUntil(now));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return std::optional<UsableToken>();
  CANDOR_ASSIGN_OR_RETURN(auto token, DecodeToken(q->ColumnBlob(0)));
  CANDOR_ASSIGN_OR_RETURN(auto seed, SecretArray<crypto::kEd25519SeedBytes>::CopyFrom(q->ColumnBlob(1)));
  q->Reset();
  auto pair = crypto::Ed25519KeyPair::FromSeed(std::move(seed));
  if (pair.public_key() != token.one_use_key) {
    return Error(Errc::kStorageFailed, "a stored token does not match its one-use key");
  }
  return std::optional<UsableToken>(UsableToken{std::move(token), std::move(pair)});
}

Result<void> Store::UseToken(const crypto::Ed25519PublicKey& one_use_key) {
  auto& db = impl_->db;
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "DELETE FROM moderation_tokens WHERE one_use_key = ? AND token IS NOT NULL"));
  q->BindBlob(1, one_use_key.bytes());
  CANDOR_RETURN_IF_ERROR(q->Run());
  if (db.Changes() != 1) return Error(Errc::kNotFound, "no such token: used already?");
  return Ok();
}

Result<Store::TokenSupply> Store::CountTokens(uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto q, impl_->db.Cached(
      "SELECT coalesce(sum(token IS NOT NULL AND expires_at >= ?), 0), "
      "coalesce(sum(token IS NULL), 0) FROM moderation_tokens"));
  q->BindInt(1, UsableUntil(now));
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Error(Errc::kStorageFailed, "token count returned no row");
  const auto usable = static_cast<size_t>(q->ColumnInt(0));
  const auto requested = static_cast<size_t>(q->ColumnInt(1));
  q->Reset();
  return TokenSupply{usable, requested, usable < kLowTokenThreshold};
}

Result<void> Store::RecordSeenToken(std::string_view sender,
                                    const crypto::Ed25519PublicKey& one_use_key,
                                    uint64_t expires_at) {
  return internal::InsertSeenToken(impl_->db, sender, one_use_key, expires_at);
}

Result<bool> internal::SeenToken(Database& db, std::string_view sender,
                                 const crypto::Ed25519PublicKey& one_use_key) {
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "SELECT 1 FROM seen_tokens WHERE sender = ? AND one_use_key = ?"));
  q->BindText(1, sender).BindBlob(2, one_use_key.bytes());
  CANDOR_ASSIGN_OR_RETURN(bool row, q->Step());
  q->Reset();
  return row;
}

Result<void> internal::InsertSeenToken(Database& db, std::string_view sender,
                                       const crypto::Ed25519PublicKey& one_use_key,
                                       uint64_t expires_at) {
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(sender));
  if (expires_at > kMaxExpiryTime) {
    return Error(Errc::kBadModerationToken, "moderation token expiry is out of range");
  }
  CANDOR_ASSIGN_OR_RETURN(auto q, db.Cached(
      "INSERT INTO seen_tokens(sender, one_use_key, expires_at) VALUES (?, ?, ?) "
      "ON CONFLICT (sender, one_use_key) DO NOTHING"));
  q->BindText(1, sender).BindBlob(2, one_use_key.bytes()).BindInt(3, static_cast<int64_t>(expires_at));
  CANDOR_RETURN_IF_ERROR(q->Run());
  if (db.Changes() != 1) {
    return Error(Errc::kTokenReused, "this sender used this moderation token before");
  }
  return Ok();
}

}  // namespace candor::storage
