// Local search through the client: FTS5 over the encrypted store, newest
// first, scoped to a conversation or not, folded for case and diacritics,
// never finding an expired message, and refusing bad queries cleanly.
#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "support/client_world.h"

namespace candor::testing {
namespace {

using client::Client;

class SearchTest : public ClientWorld {
 protected:
  void SetUp() override {
    alice_.emplace(Make("alice", 1));
    bob_.emplace(Make("bob", 2));
    carol_.emplace(Make("carol", 3));
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(bob_->Receive(SendFirst(*alice_, *bob_, "Lunch at the café tomorrow?")).has_value());
    ASSERT_TRUE(bob_->Receive(SendNext(*alice_, *bob_, "Bring the blue book.")).has_value());
    first_ = Exchange(*bob_, *alice_, "Yes, lunch works. The book too.");
    ASSERT_TRUE(bob_->Receive(SendFirst(*carol_, *bob_, "Is lunch on for Friday?")).has_value());
  }

  std::vector<storage::SearchHit> Search(Client& c, std::string_view query,
                                         std::optional<std::string_view> peer = std::nullopt,
                                         size_t limit = 50) {
    auto hits = c.Search(query, peer, limit);
    EXPECT_TRUE(hits.has_value()) << hits.error().message();
    return hits.has_value() ? *hits : std::vector<storage::SearchHit>{};
  }

  std::optional<Client> alice_, bob_, carol_;
  int64_t first_ = 0;
};

TEST_F(SearchTest, FindsWordsNewestFirstAcrossConversations) {
  const auto hits = Search(*bob_, "lunch");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].peer, "carol");
  EXPECT_EQ(hits[0].snippet, "Is lunch on for Friday?");
  EXPECT_EQ(hits[1].direction, protocol::Direction::kOutgoing);
  EXPECT_EQ(hits[1].sender, "bob");
  EXPECT_EQ(hits[2].peer, "alice");
  EXPECT_GT(hits[0].message_id, hits[1].message_id);
  EXPECT_GT(hits[1].message_id, hits[2].message_id);
  // The ids are history's.
  auto history = bob_->History("alice", 10);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(history->front().id, hits[2].message_id);
}

TEST_F(SearchTest, ScopesToOneConversationAndLimits) {
  const auto with_alice = Search(*bob_, "lunch", "alice");
  ASSERT_EQ(with_alice.size(), 2u);
  for (const auto& h : with_alice) EXPECT_EQ(h.peer, "alice");
  EXPECT_EQ(Search(*bob_, "lunch", std::nullopt, 1).size(), 1u);
  EXPECT_TRUE(Search(*bob_, "lunch", "nobody").empty());
  EXPECT_TRUE(Search(*bob_, "zeppelin").empty());
}

TEST_F(SearchTest, FoldsCaseAndDiacriticsAndTakesFts5Syntax) {
  EXPECT_EQ(Search(*bob_, "CAFE").size(), 1u);
  EXPECT_EQ(Search(*bob_, "café").size(), 1u);
  EXPECT_EQ(Search(*bob_, "boo*").size(), 2u);
  EXPECT_EQ(Search(*bob_, "\"blue book\"").size(), 1u);
  EXPECT_EQ(Search(*bob_, "lunch NOT friday").size(), 2u);
  EXPECT_EQ(Search(*bob_, "book OR friday").size(), 3u);
}

TEST_F(SearchTest, BadQueriesAreClearErrorsAndChangeNothing) {
  for (const std::string& query : {std::string("\"unbalanced"), std::string("AND"),
                            std::string("lunch AND"), std::string("nocolumn:lunch"),
                            std::string(), std::string("lu\0nch", 6), std::string("a\nb"),
                            std::string(kMaxSearchQueryBytes + 1, 'a')}) {
    auto hits = bob_->Search(query, std::nullopt, 10);
    ASSERT_FALSE(hits.has_value()) << query;
    EXPECT_EQ(hits.error().code(), Errc::kInvalidArgument) << query;
  }
  for (size_t limit : {size_t{0}, kMaxSearchResults + 1}) {
    auto hits = bob_->Search("lunch", std::nullopt, limit);
    ASSERT_FALSE(hits.has_value());
    EXPECT_EQ(hits.error().code(), Errc::kInvalidArgument);
  }
  EXPECT_EQ(Search(*bob_, "lunch").size(), 3u);
}

TEST_F(SearchTest, ExpiredAndPurgedMessagesAreNeverFound) {
  ASSERT_TRUE(bob_->SetDisappearingTimer("carol", 60).has_value());
  ASSERT_TRUE(bob_->Receive(SendNext(*carol_, *bob_, "Secret lunch plans.")).has_value());
  EXPECT_EQ(Search(*bob_, "secret").size(), 1u);
  clock_.Advance(61);
  EXPECT_TRUE(Search(*bob_, "secret").empty()) << "expired, not yet purged";
  auto purged = bob_->PurgeExpired();
  ASSERT_TRUE(purged.has_value());
  EXPECT_EQ(*purged, 1u);
  EXPECT_TRUE(Search(*bob_, "secret").empty());
  EXPECT_EQ(Search(*bob_, "lunch").size(), 3u) << "the others stay";
}

}  // namespace
}  // namespace candor::testing
