// Sealed sender through the C ABI: the services' keys and issuance, a
// device's pins, certificate and tokens, a sealed send the relay cannot
// attribute, the refusal without credentials, and the moderator's verdict.
#include "candor/candor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace {

constexpr uint64_t kWeek = 7 * 86'400;

class CapiSealedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uint8_t alice_key[CANDOR_KEY_BYTES], bob_key[CANDOR_KEY_BYTES];
    std::memset(alice_key, 0xA1, sizeof alice_key);
    std::memset(bob_key, 0xB0, sizeof bob_key);
    ASSERT_EQ(candor_generate_relay_key(relay_key_), CANDOR_OK);
    ASSERT_EQ(candor_generate_moderator_keys(report_secret_, report_public_), CANDOR_OK);
    ASSERT_EQ(candor_generate_signing_key(directory_seed_, directory_public_), CANDOR_OK);
    ASSERT_EQ(candor_generate_signing_key(signing_seed_, signing_public_), CANDOR_OK);
    ASSERT_EQ(candor_generate_token_key(token_key_), CANDOR_OK);
    ASSERT_EQ(candor_client_create(tmp_.File("alice.db").c_str(), alice_key, "alice", &alice_),
              CANDOR_OK);
    ASSERT_EQ(candor_client_create(tmp_.File("bob.db").c_str(), bob_key, "bob", &bob_), CANDOR_OK);
  }
  void TearDown() override {
    candor_client_free(alice_);
    candor_client_free(bob_);
  }
  // Pins, a certificate from alice's own bundle, and `count` tokens.
  void Provision(int count) {
    for (candor_client* c : {alice_, bob_}) {
      ASSERT_EQ(candor_client_pin_sealed_keys(c, directory_public_, signing_public_), CANDOR_OK);
    }
    candor_buffer bundle{}, cert{}, request{}, response{};
    ASSERT_EQ(candor_client_bundle(alice_, &bundle), CANDOR_OK);
    ASSERT_EQ(candor_issue_sender_certificate(directory_seed_, bundle.data, bundle.size,
                                              now_ + kWeek, &cert),
              CANDOR_OK) << candor_last_error_message();
    uint64_t expires = 0;
    ASSERT_EQ(candor_client_add_sender_certificate(alice_, cert.data, cert.size, &expires),
              CANDOR_OK) << candor_last_error_message();
    EXPECT_EQ(expires, now_ + kWeek);
    ASSERT_EQ(candor_client_request_tokens(alice_, static_cast<size_t>(count), &request), CANDOR_OK);
    ASSERT_EQ(candor_issue_tokens(signing_seed_, token_key_, "alice", request.data, request.size,
                                  now_, now_ + kWeek, &response),
              CANDOR_OK) << candor_last_error_message();
    size_t added = 0;
    ASSERT_EQ(candor_client_add_tokens(alice_, response.data, response.size, &added), CANDOR_OK)
        << candor_last_error_message();
    EXPECT_EQ(added, static_cast<size_t>(count));
    for (candor_buffer* b : {&bundle, &cert, &request, &response}) candor_buffer_free(b);
  }

  candor::testing::ScopedTempDir tmp_;
  candor_client* alice_ = nullptr;
  candor_client* bob_ = nullptr;
  uint8_t relay_key_[CANDOR_KEY_BYTES], report_secret_[CANDOR_KEY_BYTES],
      report_public_[CANDOR_KEY_BYTES], directory_seed_[CANDOR_KEY_BYTES],
      directory_public_[CANDOR_KEY_BYTES], signing_seed_[CANDOR_KEY_BYTES],
      signing_public_[CANDOR_KEY_BYTES], token_key_[CANDOR_KEY_BYTES];
  uint64_t now_ = 1'800'000'000;
};

TEST_F(CapiSealedTest, ASealedMessageIsDeliveredReportedAndVerified) {
  Provision(2);
  candor_buffer bundle{}, envelope{}, delivery{}, ack{};
  ASSERT_EQ(candor_client_bundle(bob_, &bundle), CANDOR_OK);
  int64_t sent_id = 0;
  ASSERT_EQ(candor_client_send_sealed(alice_, "bob", "sealed via C", nullptr, 0, bundle.data,
                                      bundle.size, &sent_id, &envelope),
            CANDOR_OK) << candor_last_error_message();
  const std::string raw(reinterpret_cast<char*>(envelope.data), envelope.size);
  EXPECT_EQ(raw.find("alice"), std::string::npos) << "the envelope names no sender";
  ASSERT_EQ(candor_relay(relay_key_, envelope.data, envelope.size, ++now_, &delivery, &ack),
            CANDOR_OK);
  candor_received got{};
  ASSERT_EQ(candor_client_receive(bob_, delivery.data, delivery.size, &got), CANDOR_OK)
      << candor_last_error_message();
  EXPECT_STREQ(got.from, "alice");
  EXPECT_STREQ(got.text, "sealed via C");
  size_t usable = 0, requested = 0;
  int low = 0;
  ASSERT_EQ(candor_client_tokens(alice_, &usable, &requested, &low), CANDOR_OK);
  EXPECT_EQ(usable, 1u);
  EXPECT_EQ(low, 1);

  char* preview = nullptr;
  ASSERT_EQ(candor_client_report_prepare(bob_, "alice", got.message_id, "harassment", &preview),
            CANDOR_OK) << candor_last_error_message();
  candor_buffer report{};
  int64_t report_id = 0;
  ASSERT_EQ(candor_client_report_submit(bob_, preview, report_public_, &report_id, &report),
            CANDOR_OK) << candor_last_error_message();
  char* verdict = nullptr;
  ASSERT_EQ(candor_moderate_sealed_json(report_secret_, relay_key_, directory_public_,
                                        signing_public_, token_key_, report.data, report.size,
                                        &verdict),
            CANDOR_OK) << candor_last_error_message();
  const std::string json(verdict);
  EXPECT_NE(json.find("\"verdict\":\"verified\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"token_account\":\"alice\""), std::string::npos) << json;
  candor_string_free(verdict);
  candor_string_free(preview);
  candor_received_free(&got);
  for (candor_buffer* b : {&bundle, &envelope, &delivery, &ack, &report}) candor_buffer_free(b);
}

TEST_F(CapiSealedTest, WithoutCredentialsNothingIsSentAndTheCodeSaysWhy) {
  candor_buffer bundle{}, envelope{};
  ASSERT_EQ(candor_client_bundle(bob_, &bundle), CANDOR_OK);
  int64_t id = -1;
  EXPECT_EQ(candor_client_send_sealed(alice_, "bob", "x", nullptr, 0, bundle.data, bundle.size,
                                      &id, &envelope),
            CANDOR_ERR_SEALED_CREDENTIAL_MISSING);
  EXPECT_STREQ(candor_error_name(CANDOR_ERR_SEALED_CREDENTIAL_MISSING), "sealed_credential_missing");
  EXPECT_NE(std::string(candor_last_error_message()).find("nothing was sent"), std::string::npos);
  EXPECT_EQ(envelope.data, nullptr);
  // Bad keys and null arguments are codes, not crashes.
  // A bundle handed in as a certificate: refused by its size before parsing.
  EXPECT_EQ(candor_client_add_sender_certificate(alice_, bundle.data, bundle.size, nullptr),
            CANDOR_ERR_MESSAGE_TOO_LARGE);
  EXPECT_EQ(candor_client_pin_sealed_keys(alice_, nullptr, signing_public_),
            CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_request_tokens(alice_, 0, &envelope), CANDOR_ERR_INVALID_ARGUMENT);
  // A bundle is no token request.
  EXPECT_NE(candor_issue_tokens(signing_seed_, token_key_, "alice", bundle.data, bundle.size, now_,
                                now_ + kWeek, &envelope),
            CANDOR_OK);
  EXPECT_EQ(envelope.data, nullptr);
  candor_buffer_free(&bundle);
}

}  // namespace
