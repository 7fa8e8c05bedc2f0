// The content rules end to end, on real stores: what Send refuses is never
// stored, what a modified sender gets past its own client is refused at
// receive with nothing stored, and so every stored message stays
// reportable (issue 14, items 2 and 5).
#include <gtest/gtest.h>

#include <string>

#include "candor/protocol/relay.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"
#include "candor/report/report.h"
#include "candor/report/verifier.h"
#include "support/client_world.h"
#include "support/crafted_sender.h"
#include "support/session_pair.h"

namespace candor {
namespace {

using namespace std::string_literals;
using client::Client;
using protocol::ReportReason;

class ContentRulesTest : public testing::ClientWorld {
 protected:
  size_t HistorySize(Client& c, const std::string& peer) {
    auto h = c.History(peer, kMaxHistoryPage);
    EXPECT_TRUE(h.has_value());
    return h.has_value() ? h->size() : 0;
  }
  // mallory: a modified client, a bare protocol::Session over bob's bundle.
  void StartMallory() {
    auto bundle = bob_->PublishBundle();
    ASSERT_TRUE(bundle.has_value());
    auto decoded = protocol::DecodePrekeyBundle(bundle->bytes);
    ASSERT_TRUE(decoded.has_value());
    auto s = protocol::Session::Initiate(mallory_.identity, "mallory", *decoded, rng_);
    ASSERT_TRUE(s.has_value());
    mallory_session_.emplace(std::move(s).value());
  }
  Bytes Relayed(ByteView envelope) {
    clock_.Advance(1);
    auto r = protocol::RelayEnvelope(relay_key_, envelope, clock_.NowSeconds());
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? r->delivery : Bytes{};
  }
  Result<client::ReceivedMessage> MalloryGenuine(const std::string& text) {
    auto out = mallory_session_->Encrypt(text, rng_);
    EXPECT_TRUE(out.has_value());
    return bob_->Receive(Relayed(out->envelope));
  }
  Result<client::ReceivedMessage> MalloryCrafted(const Bytes& content) {
    auto envelope = testing::CraftEnvelope(*mallory_session_, content, rng_);
    EXPECT_TRUE(envelope.has_value()) << envelope.error().message();
    return bob_->Receive(Relayed(*envelope));
  }

  // After the base: Make uses its rng, clock and directory.
  std::optional<Client> alice_{Make("alice", 1)}, bob_{Make("bob", 2)};
  testing::TestDevice mallory_{rng_, "mallory"};
  std::optional<protocol::Session> mallory_session_;
  crypto::X25519KeyPair moderator_ = crypto::X25519KeyPair::Generate(rng_);
};

TEST_F(ContentRulesTest, SendRefusesEmptyAndControlTextAndStoresNothing) {
  ASSERT_TRUE(bob_->Receive(SendFirst(*alice_, *bob_, "hi")).has_value());
  const size_t before = HistorySize(*alice_, "bob");
  for (const std::string& text : {""s, "cut\0here"s, "over\rwrite"s, "\x1b[2J"s, "del\x7f"s}) {
    SCOPED_TRACE(::testing::PrintToString(text));
    auto sent = alice_->Send("bob", text);
    ASSERT_FALSE(sent.has_value());
    EXPECT_EQ(sent.error().code(), text.empty() ? Errc::kInvalidArgument : Errc::kFieldOutOfRange)
        << sent.error().message();
    EXPECT_EQ(HistorySize(*alice_, "bob"), before) << "nothing stored";
  }
  // Tab and newline are text; the session went on as if nothing happened.
  EXPECT_EQ(bob_->Receive(SendNext(*alice_, *bob_, "a\tb\nc"))->text, "a\tb\nc");
}

TEST_F(ContentRulesTest, AModifiedSendersBadContentIsRefusedAtReceiveAndNothingStored) {
  StartMallory();
  ASSERT_TRUE(MalloryGenuine("hello").has_value());
  const std::vector<std::pair<Bytes, Errc>> crafted = {
      {Bytes{}, Errc::kMissingField},                               // empty content
      {Bytes{0x0a, 0x00}, Errc::kMalformed},                        // explicit empty text
      {Bytes{0x0a, 0x01, 'a', 0x0a, 0x01, 'b'}, Errc::kMalformed},  // text twice
      {Bytes{0x0a, 0x03, 'a', 0x00, 'b'}, Errc::kFieldOutOfRange},  // NUL
      {Bytes{0x0a, 0x02, '\r', 'x'}, Errc::kFieldOutOfRange},       // CR
  };
  for (const auto& [content, code] : crafted) {
    auto r = MalloryCrafted(content);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), code) << r.error().message();
    EXPECT_EQ(HistorySize(*bob_, "mallory"), 1u) << "nothing stored";
  }
  // The session is as before: mallory's next genuine message is read.
  auto next = MalloryGenuine("after");
  ASSERT_TRUE(next.has_value()) << next.error().message();
  EXPECT_EQ(next->text, "after");
}

// Issue 14, item 2: an empty message before every four abusive ones used
// to make them unreportable (Send("") and receive stored empty content,
// which PrepareReport then refused). Now nothing empty is ever stored, so a
// window that would have held it is prepared, submitted and verified.
TEST_F(ContentRulesTest, AnEmptyMessageCannotMakeTheNextFourUnreportable) {
  StartMallory();
  ASSERT_TRUE(MalloryGenuine("first").has_value());
  // An honest client refuses to send it; a modified one gets it refused.
  ASSERT_TRUE(bob_->Receive(SendFirst(*alice_, *bob_, "hi")).has_value());
  EXPECT_EQ(alice_->Send("bob", "").error().code(), Errc::kInvalidArgument);
  EXPECT_FALSE(MalloryCrafted(Bytes{}).has_value());
  int64_t last = 0;
  for (int i = 1; i <= 4; ++i) {
    auto r = MalloryGenuine("abuse " + std::to_string(i));
    ASSERT_TRUE(r.has_value()) << r.error().message();
    last = r->message_id;
  }
  auto p = bob_->PrepareReport("mallory", last, ReportReason::kHarassment);
  ASSERT_TRUE(p.has_value()) << p.error().message();
  ASSERT_EQ(p->bundle.messages.size(), 5u);
  auto submitted = bob_->SubmitReport(*p, moderator_.public_key());
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message();
  auto verified = report::Verifier(moderator_.Clone(), relay_key_.Clone()).Verify(submitted->report.bytes);
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  EXPECT_EQ(verified->verdict, report::Verdict::kVerified) << verified->why;
  const std::vector<std::string> texts = {"first", "abuse 1", "abuse 2", "abuse 3", "abuse 4"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(verified->messages[i].verdict, report::Verdict::kVerified) << verified->messages[i].why;
    EXPECT_EQ(verified->messages[i].text, texts[i]);
  }
}

TEST_F(ContentRulesTest, AccountNamesWithControlCharactersAreRefused) {
  for (const std::string& bad : {"bob\0x"s, "bob\n"s, "\x1b[1mbob"s}) {
    SCOPED_TRACE(::testing::PrintToString(bad));
    EXPECT_EQ(alice_->Send(bad, "hi").error().code(), Errc::kInvalidAccount);
    auto created = Client::Create(tmp_.File("x.db"), Key(9), bad, rng_, clock_);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code(), Errc::kInvalidAccount);
  }
}

}  // namespace
}  // namespace candor
