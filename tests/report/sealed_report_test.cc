// Reports of sealed messages (DESIGN.md "Sealed sender with verifiable
// reports"): an honest report verifies and names the sender from its token;
// a reporter who sends a fabrication to themselves through the real relay,
// or uses a third account's token, or strips or swaps the proof, never gets
// "verified".
#include <gtest/gtest.h>

#include "candor/crypto/sealed_box.h"
#include "candor/protocol/relay.h"
#include "candor/report/report.h"
#include "candor/report/verifier.h"
#include "support/client_world.h"
#include "support/sealed_authority.h"

namespace candor {
namespace {

using client::Client;
using protocol::ReportReason;
using report::Verdict;

class SealedReportTest : public testing::ClientWorld {
 protected:
  void SetUp() override {
    alice_.emplace(Make("alice", 1));
    mallory_.emplace(Make("mallory", 2));
    authority_.Provision(*alice_, 10);
    authority_.Provision(*mallory_, 10);
  }

  // alice writes to mallory sealed, mallory answers unsealed: returns
  // mallory's ids.
  std::vector<int64_t> Converse() {
    std::vector<int64_t> ids;
    auto bundle = mallory_->PublishBundle();
    auto first = alice_->Send("mallory", "hello", ByteView(bundle->bytes), client::Sealing::kSealed);
    EXPECT_TRUE(first.has_value()) << first.error().message();
    auto got = mallory_->Receive(Relay(*alice_, *first));
    EXPECT_TRUE(got.has_value()) << got.error().message();
    ids.push_back(got->message_id);
    auto answer = mallory_->Send("alice", "who is this?");
    EXPECT_TRUE(alice_->Receive(Relay(*mallory_, *answer)).has_value());
    ids.push_back(answer->message_id);
    auto second = alice_->Send("mallory", "you know who", std::nullopt, client::Sealing::kSealed);
    EXPECT_TRUE(second.has_value());
    got = mallory_->Receive(Relay(*alice_, *second));
    EXPECT_TRUE(got.has_value()) << got.error().message();
    ids.push_back(got->message_id);
    return ids;
  }

  report::Verifier Moderator(bool with_sealed_keys = true) const {
    return report::Verifier(moderation_key_.Clone(), relay_key_.Clone(),
                            with_sealed_keys ? std::optional(authority_.ModerationKeys())
                                             : std::nullopt);
  }

  // A modified client's message "from `claimed`" to its own account,
  // through the real relay: the relay tags whatever sealed envelope it is
  // given. The proof carries `certificate` and a token for `token_owner`.
  protocol::ReportedMessage Fabricate(const std::string& claimed,
                                      const crypto::SenderCertificate& certificate,
                                      const std::string& token_owner) {
    const std::string self = mallory_->account();
    crypto::FrankingKey fk = crypto::GenerateFrankingKey(rng_);
    const Bytes content = *protocol::EncodeContent("I will find you");
    const auto c = *crypto::ComputeFrankingCommitment(fk, claimed, self, content);
    auto [token, one_use] = authority_.Token(token_owner);
    const protocol::SealedProof proof{certificate, token,
                                      *crypto::SignSealedCommitment(one_use, c)};
    // The box's contents do not matter to the relay or the moderator.
    const Bytes box = crypto::SealedBoxSeal(*mallory_->identity_key().ToX25519(),
                                            Bytes(300, 0x42));
    const Bytes envelope = *protocol::EncodeEnvelope(
        protocol::Envelope{"", self, c, protocol::ContentType::kSealed, box});
    clock_.Advance(1);
    auto relayed = protocol::RelayEnvelope(relay_key_, envelope, clock_.NowSeconds());
    EXPECT_TRUE(relayed.has_value()) << relayed.error().message();
    auto delivery = protocol::DecodeDelivery(relayed->delivery);
    return protocol::ReportedMessage{claimed,
                                     self,
                                     delivery->server_time,
                                     content,
                                     std::move(fk),
                                     c,
                                     delivery->relay_tag,
                                     *protocol::EncodeSealedProof(proof)};
  }

  // A window of one message, sealed to the moderator and judged.
  report::VerifiedReport Judge(protocol::ReportedMessage message) {
    protocol::ReportBundle bundle{"mallory", "alice", ReportReason::kThreat, clock_.NowSeconds(),
                                  {}};
    bundle.messages.push_back(std::move(message));
    auto sealed = report::SealReport(bundle, moderation_key_.public_key());
    EXPECT_TRUE(sealed.has_value()) << sealed.error().message();
    auto verdict = Moderator().Verify(*sealed);
    EXPECT_TRUE(verdict.has_value()) << verdict.error().message();
    return std::move(verdict).value();
  }

  // alice's real certificate, as any recipient of her sealed messages holds it.
  crypto::SenderCertificate AlicesCertificate() {
    auto ids = Converse();
    auto p = mallory_->PrepareReport("alice", ids.back(), ReportReason::kThreat);
    EXPECT_TRUE(p.has_value());
    return protocol::DecodeSealedProof(p->bundle.messages.back().sealed_proof)->certificate;
  }

  testing::SealedAuthority authority_{rng_, clock_};
  crypto::X25519KeyPair moderation_key_ = crypto::X25519KeyPair::Generate(rng_);
  std::optional<Client> alice_, mallory_;
};

TEST_F(SealedReportTest, AnHonestReportOfSealedMessagesVerifiesAndNamesTheSender) {
  auto ids = Converse();
  auto p = mallory_->PrepareReport("alice", ids.back(), ReportReason::kHarassment);
  ASSERT_TRUE(p.has_value()) << p.error().message();
  ASSERT_EQ(p->bundle.messages.size(), 3u);
  EXPECT_FALSE(p->bundle.messages[0].sealed_proof.empty());
  EXPECT_TRUE(p->bundle.messages[1].sealed_proof.empty());  // mallory's unsealed answer

  // The preview tells the user what the moderator learns, and only for the
  // sealed messages; an edited notice is refused.
  auto json = protocol::ReportPreviewToJson(*p, false);
  ASSERT_TRUE(json.has_value());
  const std::string notice(protocol::kSealedReportNotice);
  size_t shown = 0;
  for (size_t at = json->find(notice); at != std::string::npos; at = json->find(notice, at + 1)) {
    ++shown;
  }
  EXPECT_EQ(shown, 2u);
  ASSERT_TRUE(protocol::ReportPreviewFromJson(*json).has_value());
  std::string edited = *json;
  edited.replace(edited.find(notice), notice.size(), "nothing to see");
  EXPECT_EQ(protocol::ReportPreviewFromJson(edited).error().code(), Errc::kFieldOutOfRange);

  auto submitted = mallory_->SubmitReport(*p, moderation_key_.public_key());
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message();
  auto verdict = Moderator().Verify(submitted->report.bytes);
  ASSERT_TRUE(verdict.has_value()) << verdict.error().message();
  EXPECT_EQ(verdict->verdict, Verdict::kVerified) << verdict->why;
  EXPECT_TRUE(verdict->messages[0].sealed);
  EXPECT_EQ(verdict->messages[0].token_account, "alice");
  EXPECT_FALSE(verdict->messages[1].sealed);
  EXPECT_EQ(verdict->messages[2].verdict, Verdict::kVerified) << verdict->messages[2].why;
  EXPECT_NE(report::VerifiedReportToJson(*verdict).find("\"token_account\":\"alice\""),
            std::string::npos);

  // A moderator without the sealed keys cannot judge them.
  auto blind = Moderator(false).Verify(submitted->report.bytes);
  ASSERT_TRUE(blind.has_value());
  EXPECT_EQ(blind->verdict, Verdict::kUnverifiable);
  EXPECT_EQ(blind->messages[1].verdict, Verdict::kVerified);
}

TEST_F(SealedReportTest, AFabricationSentToOneselfIsForged) {
  const crypto::SenderCertificate alices = AlicesCertificate();
  // Everything checks but the token's owner: it is mallory's own.
  auto r = Judge(Fabricate("alice", alices, "mallory"));
  EXPECT_EQ(r.verdict, Verdict::kForged);
  EXPECT_NE(r.messages[0].why.find("reporter's own"), std::string::npos) << r.messages[0].why;
}

TEST_F(SealedReportTest, AThirdAccountsTokenIsFlaggedAndAttributedToIt) {
  const crypto::SenderCertificate alices = AlicesCertificate();
  auto r = Judge(Fabricate("alice", alices, "carol"));
  EXPECT_EQ(r.verdict, Verdict::kFlagged);
  EXPECT_EQ(r.attributed_to, "carol") << "not the reported account, alice";
  EXPECT_NE(report::VerifiedReportToJson(r).find("\"attributed_to\":\"carol\""),
            std::string::npos);
  EXPECT_EQ(r.messages[0].token_account, "carol");
  EXPECT_NE(r.messages[0].why.find("carol"), std::string::npos);
  EXPECT_NE(r.messages[0].why.find("alice"), std::string::npos);
}

TEST_F(SealedReportTest, ABrokenOrSwappedProofIsForged) {
  const crypto::SenderCertificate alices = AlicesCertificate();
  // A certificate for someone else than the claimed sender.
  const auto carols = authority_.Certify("carol", alice_->identity_key(), 3600);
  EXPECT_EQ(Judge(Fabricate("alice", carols, "alice")).verdict, Verdict::kForged);
  // A certificate the directory never signed.
  crypto::SenderCertificate unsigned_cert = alices;
  unsigned_cert.signature[0] ^= 1;
  EXPECT_EQ(Judge(Fabricate("alice", unsigned_cert, "alice")).verdict, Verdict::kForged);
  // The proof stripped: the relay's tag is the sealed one, which binds no
  // sender, so the message cannot pass as sent unsealed.
  protocol::ReportedMessage stripped = Fabricate("alice", alices, "alice");
  stripped.sealed_proof.clear();
  auto r = Judge(std::move(stripped));
  EXPECT_EQ(r.verdict, Verdict::kForged) << r.why;
  // A real sealed message whose time is moved.
  auto ids = Converse();
  auto p = mallory_->PrepareReport("alice", ids.back(), ReportReason::kThreat);
  ASSERT_TRUE(p.has_value());
  protocol::ReportedMessage moved = protocol::CopyReportedMessage(p->bundle.messages.back());
  moved.server_time += 60;
  EXPECT_EQ(Judge(std::move(moved)).verdict, Verdict::kForged);
}

}  // namespace
}  // namespace candor
