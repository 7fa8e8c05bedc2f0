// Reports end to end: window selection on a real store, the preview, submit,
// the local log, and the moderator's verdicts — including what a dishonest
// reporter can and cannot make the Verifier say.
#include "candor/report/report.h"

#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/protocol/frame.h"
#include "candor/report/verifier.h"
#include "support/client_world.h"

namespace candor {
namespace {

using client::Client;
using protocol::ReportPreview;
using protocol::ReportReason;
using report::Verdict;

class ReportTest : public testing::ClientWorld {
 protected:
  void SetUp() override {
    alice_.emplace(Make("alice", 1));
    bob_.emplace(Make("bob", 2));
  }
  // A conversation of `n` messages, alternating from alice; returns bob's
  // ids, in order. The first is alice's (it sets up the session).
  std::vector<int64_t> Converse(int n) {
    std::vector<int64_t> ids;
    auto first = bob_->Receive(SendFirst(*alice_, *bob_, "m0"));
    EXPECT_TRUE(first.has_value());
    ids.push_back(first->message_id);
    for (int i = 1; i < n; ++i) {
      const std::string text = "m" + std::to_string(i);
      if (i % 2 == 1) {
        auto sent = bob_->Send("alice", text);
        EXPECT_TRUE(sent.has_value());
        EXPECT_TRUE(alice_->Receive(Relay(*bob_, *sent)).has_value());
        ids.push_back(sent->message_id);
      } else {
        ids.push_back(Exchange(*alice_, *bob_, text));
      }
    }
    return ids;
  }
  std::vector<std::string> Texts(const ReportPreview& p) {
    std::vector<std::string> out;
    for (const auto& m : p.bundle.messages) out.push_back(*protocol::DecodeContentText(m.content));
    return out;
  }
  ReportPreview Copy(const ReportPreview& p) {
    ReportPreview c{p.message_ids, {p.bundle.reporter, p.bundle.reported, p.bundle.reason,
                                    p.bundle.created_at, {}}};
    for (const auto& m : p.bundle.messages) c.bundle.messages.push_back(protocol::CopyReportedMessage(m));
    return c;
  }
  report::Verifier Moderator() const { return report::Verifier(moderator_.Clone(), relay_key_.Clone()); }

  std::optional<Client> alice_, bob_;
  crypto::X25519KeyPair moderator_ = crypto::X25519KeyPair::Generate(rng_);
};

TEST_F(ReportTest, WindowAtTheStartHoldsWhatThereIs) {
  auto ids = Converse(2);
  auto p = bob_->PrepareReport("alice", ids[1], ReportReason::kHarassment);
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_EQ(p->message_ids, ids);
  EXPECT_EQ(Texts(*p), (std::vector<std::string>{"m0", "m1"}));
  auto single = bob_->PrepareReport("alice", ids[0], ReportReason::kSpam);
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->message_ids, std::vector<int64_t>{ids[0]});
}

TEST_F(ReportTest, WindowInTheMiddleIsTheMessageAndTheFourBeforeBothDirections) {
  auto ids = Converse(10);
  auto p = bob_->PrepareReport("alice", ids[6], ReportReason::kThreat);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->message_ids, std::vector<int64_t>(ids.begin() + 2, ids.begin() + 7));
  EXPECT_EQ(Texts(*p), (std::vector<std::string>{"m2", "m3", "m4", "m5", "m6"}));
  EXPECT_EQ(p->bundle.messages[1].sender, "bob") << "both directions";
  EXPECT_EQ(p->bundle.messages[2].sender, "alice");
  EXPECT_EQ(p->bundle.reporter, "bob");
  EXPECT_EQ(p->bundle.reported, "alice");
}

TEST_F(ReportTest, WindowNeverReachesIntoAnotherConversation) {
  Client carol = Make("carol", 3);
  std::vector<int64_t> alice_ids;
  auto first = bob_->Receive(SendFirst(*alice_, *bob_, "a0"));
  ASSERT_TRUE(first.has_value());
  alice_ids.push_back(first->message_id);
  ASSERT_TRUE(bob_->Receive(SendFirst(carol, *bob_, "c0")).has_value());
  for (int i = 1; i < 4; ++i) {
    alice_ids.push_back(Exchange(*alice_, *bob_, "a" + std::to_string(i)));
    Exchange(carol, *bob_, "c" + std::to_string(i));
  }
  auto p = bob_->PrepareReport("alice", alice_ids.back(), ReportReason::kSpam);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->message_ids, alice_ids);
  EXPECT_EQ(Texts(*p), (std::vector<std::string>{"a0", "a1", "a2", "a3"}));
  // An id from the other conversation is not a message "with alice".
  auto wrong = bob_->PrepareReport("carol", alice_ids.back(), ReportReason::kSpam);
  EXPECT_EQ(wrong.error().code(), Errc::kNotFound);
}

TEST_F(ReportTest, TheModeratorSeesExactlyThePreviewAndVerifiesIt) {
  auto ids = Converse(7);
  auto p = bob_->PrepareReport("alice", ids[6], ReportReason::kSpam);
  ASSERT_TRUE(p.has_value());
  auto submitted = bob_->SubmitReport(*p, moderator_.public_key());
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message();
  EXPECT_EQ(submitted->report.channel, client::Channel::kModeration);
  EXPECT_EQ(submitted->message_count, 5u);
  auto encoded = protocol::EncodeReportBundle(p->bundle);
  EXPECT_EQ(submitted->report.bytes.size(), *protocol::SealedReportSize(encoded->size()))
      << "the preview's sealed size is what leaves";

  auto verified = Moderator().Verify(submitted->report.bytes);
  ASSERT_TRUE(verified.has_value()) << verified.error().message();
  EXPECT_EQ(verified->reporter, "bob");
  EXPECT_EQ(verified->reported, "alice");
  EXPECT_EQ(verified->reason, ReportReason::kSpam);
  EXPECT_EQ(verified->created_at, p->bundle.created_at);
  ASSERT_EQ(verified->messages.size(), 5u);
  const auto texts = Texts(*p);
  for (size_t i = 0; i < 5; ++i) {
    const auto& m = verified->messages[i];
    EXPECT_EQ(m.verdict, Verdict::kVerified) << m.why;
    EXPECT_EQ(m.text, texts[i]);
    EXPECT_EQ(m.sender, p->bundle.messages[i].sender);
    EXPECT_EQ(m.recipient, p->bundle.messages[i].recipient);
    EXPECT_EQ(m.server_time, p->bundle.messages[i].server_time);
  }
}

TEST_F(ReportTest, EditedPreviewsAreRefusedAndForgedBundlesNeverVerify) {
  auto ids = Converse(5);
  auto p = bob_->PrepareReport("alice", ids[4], ReportReason::kHarassment);
  ASSERT_TRUE(p.has_value());
  const report::Verifier moderator = Moderator();

  // Each edit a malicious reporter might try, on the reported message (from alice).
  std::vector<std::pair<std::string, std::function<void(protocol::ReportedMessage&)>>> edits = {
      {"text", [](auto& m) { m.content = *protocol::EncodeContent("I never said this"); }},
      {"sender", [](auto& m) { std::swap(m.sender, m.recipient); }},
      {"time", [](auto& m) { m.server_time += 3600; }},
      {"tag", [](auto& m) { (*m.relay_tag)[0] ^= 1; }},
  };
  for (const auto& [what, edit] : edits) {
    ReportPreview edited = Copy(*p);
    edit(edited.bundle.messages.back());
    auto refused = bob_->SubmitReport(edited, moderator_.public_key());
    ASSERT_FALSE(refused.has_value()) << what;
    EXPECT_EQ(refused.error().code(), Errc::kPreviewMismatch) << what;
    // Sealed by a modified client instead: the moderator says forged.
    auto sealed = report::SealReport(edited.bundle, moderator_.public_key());
    ASSERT_TRUE(sealed.has_value()) << what;
    auto verdict = moderator.Verify(*sealed);
    ASSERT_TRUE(verdict.has_value()) << what;
    EXPECT_EQ(verdict->messages.back().verdict, Verdict::kForged) << what;
    EXPECT_EQ(verdict->messages.front().verdict, Verdict::kVerified) << what << ": others stand";
  }
  // A message alice never sent, made up with the reporter's own franking key:
  // its commitment opens (the reporter made it), but no relay tag can match.
  ReportPreview fabricated = Copy(*p);
  auto& fake = fabricated.bundle.messages.back();
  fake.franking_key = crypto::GenerateFrankingKey(rng_);
  fake.content = *protocol::EncodeContent("fabricated");
  fake.commitment = *crypto::ComputeFrankingCommitment(fake.franking_key, "alice", "bob", fake.content);
  auto with_tag = moderator.Verify(*report::SealReport(fabricated.bundle, moderator_.public_key()));
  EXPECT_EQ(with_tag->messages.back().verdict, Verdict::kForged);
  // Without a tag it is still forged: only the reporter's own outgoing
  // messages can lack one (issue 14, item 3; this said "unverifiable").
  fake.relay_tag.reset();
  auto without_tag = moderator.Verify(*report::SealReport(fabricated.bundle, moderator_.public_key()));
  EXPECT_EQ(without_tag->messages.back().verdict, Verdict::kForged) << without_tag->messages.back().why;
  EXPECT_EQ(without_tag->verdict, Verdict::kForged);
  EXPECT_TRUE(bob_->Reports()->empty()) << "nothing refused was logged";
}

// Issue 14, item 3: what a modified client can assemble from real,
// individually verifiable messages must still come out forged.
TEST_F(ReportTest, FabricatedWindowsComeOutForged) {
  auto ids = Converse(5);
  auto p = bob_->PrepareReport("alice", ids[4], ReportReason::kHarassment);
  ASSERT_TRUE(p.has_value());
  const report::Verifier moderator = Moderator();
  auto verify = [&](const ReportPreview& edited) {
    auto sealed = report::SealReport(edited.bundle, moderator_.public_key());
    EXPECT_TRUE(sealed.has_value()) << "a modified client can seal it";
    auto v = moderator.Verify(*sealed);
    EXPECT_TRUE(v.has_value()) << "and the moderator can read it: " << v.error().message();
    return std::move(v).value();
  };
  const auto honest = verify(*p);
  EXPECT_EQ(honest.verdict, Verdict::kVerified) << honest.why;

  // A message of the window shown twice (the real one, repeated).
  ReportPreview repeated = Copy(*p);
  repeated.bundle.messages[4] = protocol::CopyReportedMessage(repeated.bundle.messages[2]);
  auto r = verify(repeated);
  EXPECT_EQ(r.messages[2].verdict, Verdict::kVerified) << "the first copy stands";
  EXPECT_EQ(r.messages[4].verdict, Verdict::kForged);
  EXPECT_NE(r.messages[4].why.find("repeats message 3"), std::string::npos) << r.messages[4].why;
  EXPECT_EQ(r.verdict, Verdict::kForged);
  EXPECT_NE(r.why.find("message 5: "), std::string::npos) << r.why;

  // A message between two other accounts (franked and tagged for them).
  ReportPreview foreign = Copy(*p);
  auto& m = foreign.bundle.messages[1];
  m.sender = "carol";
  m.recipient = "dave";
  m.franking_key = crypto::GenerateFrankingKey(rng_);
  m.commitment = *crypto::ComputeFrankingCommitment(m.franking_key, "carol", "dave", m.content);
  m.relay_tag = *crypto::ComputeRelayTag(relay_key_, m.commitment, "carol", "dave", m.server_time);
  auto f = verify(foreign);
  EXPECT_EQ(f.messages[1].verdict, Verdict::kForged) << f.messages[1].why;
  EXPECT_EQ(f.messages[0].verdict, Verdict::kVerified);
  EXPECT_EQ(f.verdict, Verdict::kForged);
  // Such a window is no preview: a preview is one conversation.
  EXPECT_EQ(protocol::ReportPreviewToJson(foreign, false).error().code(), Errc::kWrongPeer);

  // A message to the reporter without the relay's tag never passed the
  // relay, even when its commitment opens; the reporter's own may lack one.
  ReportPreview untagged = Copy(*p);
  ASSERT_EQ(untagged.bundle.messages[2].sender, "alice");
  ASSERT_EQ(untagged.bundle.messages[3].sender, "bob");
  for (size_t i : {2, 3}) {
    untagged.bundle.messages[i].relay_tag.reset();
    untagged.bundle.messages[i].server_time = 0;
  }
  auto u = verify(untagged);
  EXPECT_EQ(u.messages[2].verdict, Verdict::kForged) << u.messages[2].why;
  EXPECT_EQ(u.messages[3].verdict, Verdict::kUnverifiable) << u.messages[3].why;
  EXPECT_EQ(u.verdict, Verdict::kForged);
  const std::string json = report::VerifiedReportToJson(u);
  EXPECT_NE(json.find("\"verdict\":\"forged\",\"why\":\"message 3: "), std::string::npos) << json;
}

// Server times out of order are no evidence of fabrication: a transport may
// deliver one sender's messages out of order, and the window is in the
// reporter's storing order (docs/reports.md "What is not checked").
TEST_F(ReportTest, AnHonestWindowDeliveredOutOfOrderStillVerifies) {
  Converse(2);
  const Bytes first = SendNext(*alice_, *bob_, "one");
  const Bytes second = SendNext(*alice_, *bob_, "two");
  ASSERT_TRUE(bob_->Receive(second).has_value());
  auto last = bob_->Receive(first);
  ASSERT_TRUE(last.has_value());
  auto p = bob_->PrepareReport("alice", last->message_id, ReportReason::kSpam);
  ASSERT_TRUE(p.has_value());
  ASSERT_GT(p->bundle.messages[2].server_time, p->bundle.messages[3].server_time);
  auto submitted = bob_->SubmitReport(*p, moderator_.public_key());
  ASSERT_TRUE(submitted.has_value());
  auto verified = Moderator().Verify(submitted->report.bytes);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->verdict, Verdict::kVerified) << verified->why;
}

TEST_F(ReportTest, AReportForAnotherModeratorCannotBeOpened) {
  auto ids = Converse(3);
  auto p = bob_->PrepareReport("alice", ids[2], ReportReason::kOther);
  const auto other = crypto::X25519KeyPair::Generate(rng_);
  auto submitted = bob_->SubmitReport(*p, other.public_key());
  ASSERT_TRUE(submitted.has_value());
  EXPECT_EQ(Moderator().Verify(submitted->report.bytes).error().code(), Errc::kDecryptFailed);
  Bytes flipped = submitted->report.bytes;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_EQ(report::Verifier(other.Clone(), relay_key_.Clone()).Verify(flipped).error().code(),
            Errc::kDecryptFailed);
  EXPECT_TRUE(report::Verifier(other.Clone(), relay_key_.Clone()).Verify(submitted->report.bytes).has_value());
}

TEST_F(ReportTest, MessagesWithoutAnAcknowledgementAreFlaggedUnverifiable) {
  auto ids = Converse(3);
  auto sent = bob_->Send("alice", "ack lost");
  ASSERT_TRUE(sent.has_value());
  ASSERT_TRUE(alice_->Receive(Relay(*bob_, *sent, /*ack=*/false)).has_value());
  const int64_t reported = Exchange(*alice_, *bob_, "reply");
  auto p = bob_->PrepareReport("alice", reported, ReportReason::kSpam);
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->message_ids.size(), 5u);
  EXPECT_EQ(p->message_ids[3], sent->message_id) << "included, not dropped or replaced";
  EXPECT_FALSE(p->bundle.messages[3].relay_tag.has_value());
  EXPECT_EQ(p->bundle.messages[3].server_time, 0u);
  auto json = protocol::ReportPreviewToJson(*p, false);
  ASSERT_TRUE(json.has_value());
  EXPECT_NE(json->find("\"verifiable\":false"), std::string::npos);
  auto submitted = bob_->SubmitReport(*p, moderator_.public_key());
  ASSERT_TRUE(submitted.has_value());
  auto verified = Moderator().Verify(submitted->report.bytes);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->messages[3].verdict, Verdict::kUnverifiable);
  EXPECT_EQ(verified->messages[4].verdict, Verdict::kVerified);
}

TEST_F(ReportTest, TheLocalLogListsEverySubmittedReport) {
  auto ids = Converse(6);
  auto p1 = bob_->PrepareReport("alice", ids[2], ReportReason::kSpam);
  auto p2 = bob_->PrepareReport("alice", ids[5], ReportReason::kThreat);
  auto s1 = bob_->SubmitReport(*p1, moderator_.public_key());
  auto s2 = bob_->SubmitReport(*p2, moderator_.public_key());
  ASSERT_TRUE(s1.has_value() && s2.has_value());
  auto log = bob_->Reports();
  ASSERT_TRUE(log.has_value());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].id, s1->report_id);
  EXPECT_EQ((*log)[0].reason, "spam");
  EXPECT_EQ((*log)[0].message_count, 3u);
  EXPECT_EQ((*log)[0].sealed, s1->report.bytes) << "exactly what was handed out";
  EXPECT_EQ((*log)[0].moderator_key, moderator_.public_key().bytes());
  EXPECT_EQ((*log)[0].preview, *protocol::ReportPreviewToJson(*p1, false));
  EXPECT_EQ((*log)[1].reason, "threat");
  EXPECT_EQ((*log)[1].message_count, 5u);
  EXPECT_EQ((*log)[1].peer, "alice");
}

TEST_F(ReportTest, ExpiredMessagesAreNeitherReportableNorIncluded) {
  auto ids = Converse(2);
  ASSERT_TRUE(bob_->SetDisappearingTimer("alice", 10).has_value());
  const int64_t soon_gone = Exchange(*alice_, *bob_, "disappearing");
  auto p = bob_->PrepareReport("alice", soon_gone, ReportReason::kSpam);
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(bob_->SetDisappearingTimer("alice", std::nullopt).has_value());
  clock_.Advance(11);
  const int64_t later = Exchange(*alice_, *bob_, "kept");
  EXPECT_EQ(bob_->PrepareReport("alice", soon_gone, ReportReason::kSpam).error().code(),
            Errc::kNotFound);
  auto q = bob_->PrepareReport("alice", later, ReportReason::kSpam);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->message_ids, (std::vector<int64_t>{ids[0], ids[1], later}));
  // A preview made before expiry can no longer be submitted.
  EXPECT_EQ(bob_->SubmitReport(*p, moderator_.public_key()).error().code(), Errc::kNotFound);
}

// A report of disappearing messages keeps its plaintext no longer than they
// live: the log entry stays, the preview and sealed copy go with the last of
// the reported messages. A report showing any message without a timer keeps
// them until the user deletes the entry.
TEST_F(ReportTest, AReportShowingALastingMessageKeepsItsTextUntilDeleted) {
  Converse(2);  // no timer yet: these never expire
  ASSERT_TRUE(bob_->SetDisappearingTimer("alice", 100).has_value());
  const int64_t fleeting = Exchange(*alice_, *bob_, "fleeting");
  auto p = bob_->PrepareReport("alice", fleeting, ReportReason::kSpam);
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->message_ids.size(), 3u);
  auto submitted = bob_->SubmitReport(*p, moderator_.public_key());
  ASSERT_TRUE(submitted.has_value());
  clock_.Advance(1000);
  ASSERT_TRUE(bob_->PurgeExpired().has_value());
  auto log = bob_->Reports();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_FALSE((*log)[0].content_expires_at.has_value());
  EXPECT_FALSE((*log)[0].content_purged);
  EXPECT_EQ((*log)[0].sealed, submitted->report.bytes);

  ASSERT_TRUE(bob_->DeleteReport(submitted->report_id).has_value());
  EXPECT_TRUE(bob_->Reports()->empty());
  EXPECT_EQ(bob_->DeleteReport(submitted->report_id).error().code(), Errc::kNotFound);
}

TEST_F(ReportTest, AReportOfOnlyDisappearingMessagesLosesItsTextWithThem) {
  ASSERT_TRUE(bob_->SetDisappearingTimer("alice", 100).has_value());
  auto first = bob_->Receive(SendFirst(*alice_, *bob_, "fleeting one"));
  ASSERT_TRUE(first.has_value());
  clock_.Advance(30);
  const int64_t second = Exchange(*alice_, *bob_, "fleeting two");
  auto p = bob_->PrepareReport("alice", second, ReportReason::kHarassment);
  ASSERT_TRUE(p.has_value());
  auto submitted = bob_->SubmitReport(*p, moderator_.public_key());
  ASSERT_TRUE(submitted.has_value());
  auto log = bob_->Reports();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].content_expires_at, clock_.NowSeconds() + 100) << "the later of the two";
  EXPECT_NE((*log)[0].preview.find("fleeting two"), std::string::npos);

  clock_.Advance(99);
  ASSERT_TRUE(bob_->PurgeExpired().has_value());
  EXPECT_FALSE((*bob_->Reports())[0].content_purged) << "the second message still lives";
  clock_.Advance(1);
  ASSERT_TRUE(bob_->PurgeExpired().has_value());
  log = bob_->Reports();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_TRUE((*log)[0].content_purged);
  EXPECT_TRUE((*log)[0].preview.empty());
  EXPECT_TRUE((*log)[0].sealed.empty());
  EXPECT_EQ((*log)[0].message_count, 2u);
  EXPECT_EQ((*log)[0].reason, "harassment");
}

}  // namespace
}  // namespace candor
