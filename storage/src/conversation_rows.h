// Private to storage/: finding and creating a conversation's row, shared by
// the message, report and identity parts of the Store.
#ifndef CANDOR_STORAGE_SRC_CONVERSATION_ROWS_H_
#define CANDOR_STORAGE_SRC_CONVERSATION_ROWS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "candor/crypto/bytes.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/result.h"
#include "candor/protocol/device_store.h"
#include "sqlite.h"

namespace candor::storage::internal {

// The next local order of the `conversations` row in scope, as SQL: one past
// the newest stored message (a seek on the (conversation_id, local_order)
// index), or the conversation's `next_order` floor if that is higher.
// EnsureConversation hands it out; PurgeExpired raises the floor to it
// before deleting, and a history marker (an identity change) raises it past
// its own order, so orders never go back. Deriving it instead of bumping a
// counter saves writing the conversation's page on every message.
#define CANDOR_NEXT_ORDER_SQL                                                   \
  "max(conversations.next_order, coalesce((SELECT max(m.local_order) + 1 FROM " \
  "messages m WHERE m.conversation_id = conversations.id), 0))"

// A conversation's id, with its next local order and disappearing timer.
struct ConversationRow {
  int64_t id;
  int64_t next_order;
  std::optional<uint64_t> disappear_after;
};

// The row for `peer`, created when missing.
Result<ConversationRow> EnsureConversation(Database& db, std::string_view peer);
Result<std::optional<int64_t>> FindConversation(Database& db, std::string_view peer);

// A message row to insert (its direction and the parts a history entry
// and a report need).
struct NewMessage {
  protocol::Direction direction;
  std::string_view sender, recipient;
  std::optional<uint64_t> server_time;
  ByteView content;
  const crypto::FrankingKey& franking_key;
  const crypto::FrankingCommitment& commitment;
  std::optional<crypto::RelayTag> relay_tag;
  ByteView sealed_proof = {};  // empty: sent unsealed (stored as NULL)
};

// Inserts the message and its franking opening at the conversation's next
// order, and indexes its text for search; the caller holds the transaction.
Result<int64_t> InsertMessage(Database& db, const ConversationRow& c, const NewMessage& m,
                              uint64_t now);

// The envelope's replay marker, in one statement: kDuplicateMessage, with
// nothing written, if the envelope was received before (so a caller that
// inserts it first refuses a duplicate before any other write).
Result<void> InsertReplayMarker(Database& db, const protocol::EnvelopeDigest& digest, uint64_t now);

// A fixed-length blob column; kStorageFailed (naming `what`) otherwise.
template <size_t N>
Result<std::array<uint8_t, N>> FixedColumn(const Statement& q, int column, const char* what) {
  return ToFixedArray<N>(q.ColumnBlob(column), Errc::kStorageFailed, what);
}

// Sealed sender's seen tokens (store_sealed.cc): whether `sender` used
// `one_use_key` before (a read, so a caller can refuse before writing), and
// the record of it (kTokenReused, nothing written, if it exists).
Result<bool> SeenToken(Database& db, std::string_view sender,
                       const crypto::Ed25519PublicKey& one_use_key);
Result<void> InsertSeenToken(Database& db, std::string_view sender,
                             const crypto::Ed25519PublicKey& one_use_key, uint64_t expires_at);

}  // namespace candor::storage::internal

#endif  // CANDOR_STORAGE_SRC_CONVERSATION_ROWS_H_
