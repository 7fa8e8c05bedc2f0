// The egress guard and the log audit, attacked: undeclared fields, unknown
// fields, local-only data on the relay, messages on the wrong channel, and
// forged log lines.
#include <gtest/gtest.h>

#include "candor/crypto/random.h"
#include "candor/crypto/sender_key.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/group_wire.h"
#include "candor/report/report.pb.h"
#include "candor/protocol/policy.h"
#include "candor/test/guard_test.pb.h"
#include "policy_model.h"
#include "support/session_pair.h"

namespace candor {
namespace {

using protocol::CheckEgress;
using protocol::EgressChannel;

class GuardTest : public ::testing::Test {
 protected:
  // A real first envelope from alice to bob.
  Bytes Envelope() {
    testing::TestDevice alice(rng_, "alice"), bob(rng_, "bob");
    auto s = protocol::Session::Initiate(alice.identity, "alice", bob.Bundle(rng_), rng_);
    const SecretBytes state = s->Serialize();
    session_bytes_ = Bytes(state.Expose().begin(), state.Expose().end());
    return s->Encrypt("hello", rng_)->envelope;
  }
  crypto::InsecureDeterministicRandom rng_{3};
  Bytes session_bytes_;
};

TEST_F(GuardTest, ARealEnvelopePassesAndItsFieldsAreRecorded) {
  const Bytes env = Envelope();
  auto r = CheckEgress(EgressChannel::kRelay, protocol::kEnvelopeType, env);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->bytes, env.size());
  for (const char* f : {"candor.wire.Envelope.sender", "candor.wire.Envelope.payload",
                        "candor.wire.PrekeyMessage.identity_key", "candor.wire.RatchetMessage.ciphertext"}) {
    EXPECT_NE(std::find(r->fields.begin(), r->fields.end(), f), r->fields.end()) << f;
  }
}

TEST_F(GuardTest, AnUnknownFieldIsRefused) {
  Bytes env = Envelope();
  env.insert(env.end(), {0xF8, 0x06, 0x01});  // field 111, varint 1
  EXPECT_EQ(CheckEgress(EgressChannel::kRelay, protocol::kEnvelopeType, env).error().code(),
            Errc::kUnknownField);
}

TEST_F(GuardTest, MessagesOnTheWrongChannelAreRefused) {
  const Bytes env = Envelope();
  // Local session state (keys!) on the relay channel.
  EXPECT_EQ(CheckEgress(EgressChannel::kRelay, "candor.local.SessionState", session_bytes_).error().code(),
            Errc::kPolicyViolation);
  EXPECT_EQ(CheckEgress(EgressChannel::kModeration, protocol::kEnvelopeType, env).error().code(),
            Errc::kPolicyViolation);
  EXPECT_EQ(CheckEgress(EgressChannel::kRelay, "candor.wire.Content", Bytes{1, 0x0A, 0x01, 0x41}).error().code(),
            Errc::kPolicyViolation)
      << "message content never travels in the clear";
  EXPECT_EQ(CheckEgress(EgressChannel::kRelay, "google.protobuf.Struct", Bytes{1}).error().code(),
            Errc::kPolicyViolation);
}

TEST_F(GuardTest, UndeclaredAndLocalOnlyFieldsAreRefusedEvenNested) {
  candor::test::RelayBound m;
  m.set_routed("fine");
  EXPECT_TRUE(protocol::internal::CheckMessageForChannel(m, EgressChannel::kRelay).has_value());
  EXPECT_EQ(protocol::internal::CheckMessageForChannel(m, EgressChannel::kDirectory).error().code(),
            Errc::kPolicyViolation) << "routed is relay-only";

  candor::test::RelayBound secret = m;
  secret.set_secret("key");
  EXPECT_EQ(protocol::internal::CheckMessageForChannel(secret, EgressChannel::kRelay).error().code(),
            Errc::kPolicyViolation);
  candor::test::RelayBound undeclared = m;
  undeclared.set_undeclared("battery=12%");
  auto r = protocol::internal::CheckMessageForChannel(undeclared, EgressChannel::kRelay);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("no exposure annotation"), std::string::npos);
  candor::test::RelayBound nested = m;
  nested.mutable_inner()->set_ok("fine");
  EXPECT_TRUE(protocol::internal::CheckMessageForChannel(nested, EgressChannel::kRelay).has_value());
  nested.mutable_inner()->set_local("hidden");
  EXPECT_EQ(protocol::internal::CheckMessageForChannel(nested, EgressChannel::kRelay).error().code(),
            Errc::kPolicyViolation);
}

TEST_F(GuardTest, ACarriedPayloadMustBeADeclaredMessage) {
  auto env = protocol::DecodeEnvelope(Envelope());
  ASSERT_TRUE(env.has_value());
  // The encoder only checks the payload's size; the guard walks into it.
  env->payload = Bytes{0xF8, 0x06, 0x01};
  auto bytes = protocol::EncodeEnvelope(*env);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(CheckEgress(EgressChannel::kRelay, protocol::kEnvelopeType, *bytes).error().code(),
            Errc::kPolicyViolation);
}

// Group control messages (sender keys!) travel only inside end-to-end
// encryption: not on any channel, and not inside a report in a message's
// place, where only a Content may be.
TEST_F(GuardTest, GroupControlNeverLeavesTheEncryption) {
  crypto::GroupId group{};
  crypto::OwnSenderKey key = crypto::GenerateSenderKey(group, rng_);
  auto control = protocol::EncodeSenderKeyDistribution(protocol::SenderKeyDistribution{
      1, key.chain.Clone(), key.signing.public_key(), std::nullopt, std::nullopt, {}});
  ASSERT_TRUE(control.has_value());
  for (EgressChannel c : {EgressChannel::kRelay, EgressChannel::kDirectory,
                          EgressChannel::kModeration}) {
    EXPECT_EQ(CheckEgress(c, "candor.wire.GroupControl", control->Expose()).error().code(),
              Errc::kPolicyViolation);
  }
  candor::report::ReportBundle bundle;
  bundle.set_reporter("bob");
  bundle.set_reported("alice");
  auto* m = bundle.add_messages();
  m->set_sender("alice");
  m->set_recipient("bob");
  m->set_content(std::string(control->Expose().begin(), control->Expose().end()));
  EXPECT_FALSE(protocol::internal::CheckMessageForChannel(bundle, EgressChannel::kModeration)
                   .has_value());
  m->set_content("\x0a\x02hi");  // a Content { text: "hi" } passes
  EXPECT_TRUE(protocol::internal::CheckMessageForChannel(bundle, EgressChannel::kModeration)
                  .has_value());
}

TEST_F(GuardTest, AuditAcceptsWhatTheGuardRecordedAndCatchesForgedLines) {
  auto record = CheckEgress(EgressChannel::kRelay, protocol::kEnvelopeType, Envelope());
  ASSERT_TRUE(record.has_value());
  record->time = 1'800'000'000;
  const std::string good = protocol::EgressRecordToJson(*record);
  auto back = protocol::EgressRecordFromJson(good);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->fields, record->fields);
  EXPECT_EQ(protocol::EgressRecordToJson(*back), good);

  auto ok = protocol::AuditEgressLog(good + "\n\n" + good + "\n");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->records, 2u);
  EXPECT_TRUE(ok->violations.empty());
  EXPECT_EQ(ok->by_channel.at("relay").records, 2u);
  EXPECT_EQ(ok->by_channel.at("relay").message_types.at("candor.wire.Envelope"), 2u);

  // Message text on the relay channel; an envelope to moderation; a field
  // that does not exist; a line that is not a record.
  protocol::EgressRecord text = *record;
  text.fields.push_back("candor.wire.Content.text");
  protocol::EgressRecord moderation = *record;
  moderation.channel = EgressChannel::kModeration;
  protocol::EgressRecord phone = *record;
  phone.fields.push_back("candor.wire.Envelope.phone_number");
  const std::string log = protocol::EgressRecordToJson(text) + "\n" +
                          protocol::EgressRecordToJson(moderation) + "\n" +
                          protocol::EgressRecordToJson(phone) + "\n{\"time\":1,\"extra\":2}\n";
  auto bad = protocol::AuditEgressLog(log);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->records, 3u);
  ASSERT_GE(bad->violations.size(), 4u);
  EXPECT_NE(bad->violations[0].find("line 1: candor.wire.Content.text"), std::string::npos);
  EXPECT_NE(bad->violations[1].find("line 2:"), std::string::npos);
  const std::string all = protocol::AuditResultToJson(*bad);
  EXPECT_NE(all.find("phone_number"), std::string::npos);
  EXPECT_NE(all.find("line 4:"), std::string::npos);
}

}  // namespace
}  // namespace candor
