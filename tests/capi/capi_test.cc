// The C ABI from C's point of view: codes, messages, ownership, progress.
// (The examples run the whole flow against an installed copy; this suite
// checks the boundary's contracts in the build tree, under the sanitizers
// too.)
#include "candor/candor.h"
#include "candor/candor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace {

struct Clients {
  candor_client* alice = nullptr;
  candor_client* bob = nullptr;
  ~Clients() {
    candor_client_free(alice);
    candor_client_free(bob);
  }
};

class CapiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::memset(alice_key_, 0xA1, sizeof alice_key_);
    std::memset(bob_key_, 0xB0, sizeof bob_key_);
    ASSERT_EQ(candor_generate_relay_key(relay_key_), CANDOR_OK);
    ASSERT_EQ(candor_client_create(tmp_.File("alice.db").c_str(), alice_key_, "alice", &c_.alice), CANDOR_OK);
    ASSERT_EQ(candor_client_create(tmp_.File("bob.db").c_str(), bob_key_, "bob", &c_.bob), CANDOR_OK);
  }
  // alice -> bob through the relay; returns the delivery.
  std::vector<uint8_t> Deliverable(const char* text, bool first) {
    candor_buffer bundle{}, envelope{}, delivery{}, ack{};
    if (first) {
      EXPECT_EQ(candor_client_bundle(c_.bob, &bundle), CANDOR_OK);
    }
    int64_t id = 0;
    EXPECT_EQ(candor_client_send(c_.alice, "bob", text, bundle.data, bundle.size, &id, &envelope), CANDOR_OK)
        << candor_last_error_message();
    EXPECT_EQ(candor_relay(relay_key_, envelope.data, envelope.size, ++now_, &delivery, &ack), CANDOR_OK);
    std::vector<uint8_t> out(delivery.data, delivery.data + delivery.size);
    for (candor_buffer* b : {&bundle, &envelope, &delivery, &ack}) candor_buffer_free(b);
    return out;
  }

  candor::testing::ScopedTempDir tmp_;
  Clients c_;
  uint8_t alice_key_[CANDOR_KEY_BYTES], bob_key_[CANDOR_KEY_BYTES], relay_key_[CANDOR_KEY_BYTES];
  uint64_t now_ = 1'800'000'000;
};

TEST_F(CapiTest, VersionAndErrorNames) {
  EXPECT_STREQ(candor_version(), "0.1.0");
  EXPECT_EQ(candor_abi_version(), CANDOR_ABI_VERSION);
  EXPECT_STREQ(candor_error_name(CANDOR_OK), "ok");
  EXPECT_STREQ(candor_error_name(CANDOR_ERR_DUPLICATE_MESSAGE), "duplicate_message");
  EXPECT_STREQ(candor_error_name(CANDOR_ERR_WRONG_KEY), "wrong_key");
  EXPECT_STREQ(candor_client_account(c_.alice), "alice");
}

TEST_F(CapiTest, ReceiveDuplicateAndBadInputGiveCodesAndMessages) {
  const auto d = Deliverable("hello", true);
  candor_received r{};
  ASSERT_EQ(candor_client_receive(c_.bob, d.data(), d.size(), &r), CANDOR_OK);
  EXPECT_STREQ(r.from, "alice");
  EXPECT_STREQ(r.text, "hello");
  candor_received_free(&r);
  EXPECT_EQ(r.text, nullptr);
  EXPECT_EQ(candor_client_receive(c_.bob, d.data(), d.size(), &r), CANDOR_ERR_DUPLICATE_MESSAGE);
  EXPECT_NE(std::string(candor_last_error_message()), "");
  const uint8_t junk[] = {1, 2, 3};
  EXPECT_NE(candor_client_receive(c_.bob, junk, sizeof junk, &r), CANDOR_OK);
  EXPECT_EQ(candor_client_receive(nullptr, d.data(), d.size(), &r), CANDOR_ERR_INVALID_ARGUMENT);
  int64_t id = 0;
  candor_buffer env{};
  EXPECT_EQ(candor_client_send(c_.alice, "carol", "x", nullptr, 0, &id, &env), CANDOR_ERR_INVALID_STATE)
      << "no session with carol and no bundle";
  EXPECT_EQ(env.data, nullptr) << "nothing handed out on failure";
  char* history = nullptr;
  ASSERT_EQ(candor_client_history_json(c_.bob, "alice", 10, &history), CANDOR_OK);
  EXPECT_NE(std::string(history).find("\"text\":\"hello\""), std::string::npos);
  candor_string_free(history);
}

TEST_F(CapiTest, SearchReturnsJsonAndRefusesBadQueries) {
  const auto d = Deliverable("see you at the harbour", true);
  candor_received r{};
  ASSERT_EQ(candor_client_receive(c_.bob, d.data(), d.size(), &r), CANDOR_OK);
  candor_received_free(&r);
  char* json = nullptr;
  ASSERT_EQ(candor_client_search_json(c_.bob, "harbour", nullptr, 10, &json), CANDOR_OK);
  EXPECT_NE(std::string(json).find("\"snippet\":\"see you at the harbour\""), std::string::npos)
      << json;
  EXPECT_NE(std::string(json).find("\"with\":\"alice\""), std::string::npos);
  candor_string_free(json);
  json = nullptr;
  ASSERT_EQ(candor_client_search_json(c_.bob, "harbour", "carol", 10, &json), CANDOR_OK);
  EXPECT_STREQ(json, "{\"results\":[]}");
  candor_string_free(json);
  json = nullptr;
  EXPECT_EQ(candor_client_search_json(c_.bob, "\"harbour", nullptr, 10, &json),
            CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(json, nullptr);
  EXPECT_NE(std::string(candor_last_error_message()).find("FTS5"), std::string::npos);
  EXPECT_EQ(candor_client_search_json(c_.bob, nullptr, nullptr, 10, &json),
            CANDOR_ERR_INVALID_ARGUMENT);
}

TEST_F(CapiTest, WrongKeyAndMissingStoreAreStorageCodes) {
  candor_client* c = nullptr;
  candor_client_free(c_.bob);
  c_.bob = nullptr;
  EXPECT_EQ(candor_client_open(tmp_.File("bob.db").c_str(), alice_key_, nullptr, nullptr, &c),
            CANDOR_ERR_WRONG_KEY);
  EXPECT_EQ(c, nullptr);
  EXPECT_EQ(candor_client_open(tmp_.File("nope.db").c_str(), alice_key_, nullptr, nullptr, &c),
            CANDOR_ERR_NOT_FOUND);
  EXPECT_EQ(candor_client_open(tmp_.File("bob.db").c_str(), bob_key_, nullptr, nullptr, &c_.bob), CANDOR_OK);
}

TEST_F(CapiTest, BatchReceiveReportsProgressAndPerDeliveryResults) {
  std::vector<std::vector<uint8_t>> d = {Deliverable("a", true), Deliverable("b", false),
                                         Deliverable("c", false)};
  d.push_back(d[1]);  // a duplicate inside the batch
  std::vector<candor_buffer> views;
  for (auto& x : d) views.push_back(candor_buffer{x.data(), x.size()});
  std::vector<uint64_t> seen;
  auto progress = [](void* ctx, uint64_t done, uint64_t total) {
    static_cast<std::vector<uint64_t>*>(ctx)->push_back(done * 100 + total);
  };
  int results[4];
  candor_received received[4];
  ASSERT_EQ(candor_client_receive_batch(c_.bob, views.data(), views.size(), progress, &seen, results,
                                        received), CANDOR_OK);
  EXPECT_EQ(seen, (std::vector<uint64_t>{104, 204, 304, 404}));
  EXPECT_EQ(results[0], CANDOR_OK);
  EXPECT_EQ(results[2], CANDOR_OK);
  EXPECT_STREQ(received[2].text, "c");
  EXPECT_EQ(results[3], CANDOR_ERR_DUPLICATE_MESSAGE);
  for (auto& r : received) candor_received_free(&r);
}

// Garbage, as in uninitialised memory: every entry must be overwritten.
void Poison(int* results, candor_received* received, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    results[i] = 0x5A5A;
    received[i] = candor_received{-7, reinterpret_cast<char*>(0x1), reinterpret_cast<char*>(0x1), 7,
                                  reinterpret_cast<char*>(0x1), reinterpret_cast<char*>(0x1)};
  }
}

TEST_F(CapiTest, BatchEntriesAreSetForRefusedDeliveriesAndWhenTheWholeBatchFails) {
  const auto good = Deliverable("kept", true);
  const uint8_t junk[] = {1, 2, 3};
  std::vector<candor_buffer> views = {candor_buffer{const_cast<uint8_t*>(junk), sizeof junk},
                                      candor_buffer{const_cast<uint8_t*>(good.data()), good.size()}};
  int results[2];
  candor_received received[2];

  // A progress callback that throws stands in for any failure of the batch
  // as a whole (a C++ embedder can do this; the boundary catches it): the
  // transaction rolls back and every entry must say so.
  Poison(results, received, 2);
  auto fail = [](void*, uint64_t, uint64_t) { throw std::runtime_error("embedder failure"); };
  EXPECT_EQ(candor_client_receive_batch(c_.bob, views.data(), views.size(), fail, nullptr, results,
                                        received),
            CANDOR_ERR_INTERNAL);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(results[i], CANDOR_ERR_INTERNAL) << i;
    EXPECT_EQ(received[i].from, nullptr) << i;
    EXPECT_EQ(received[i].text, nullptr) << i;
    EXPECT_EQ(received[i].message_id, 0) << i;
  }

  // Nothing was stored, so the same batch now goes through; the refused
  // delivery's entry is zeroed too (safe to free).
  Poison(results, received, 2);
  ASSERT_EQ(candor_client_receive_batch(c_.bob, views.data(), views.size(), nullptr, nullptr,
                                        results, received),
            CANDOR_OK);
  EXPECT_NE(results[0], CANDOR_OK);
  EXPECT_EQ(received[0].text, nullptr);
  EXPECT_EQ(received[0].from, nullptr);
  EXPECT_EQ(results[1], CANDOR_OK);
  EXPECT_STREQ(received[1].text, "kept");
  EXPECT_STREQ(received[1].from, "alice");
  for (auto& r : received) candor_received_free(&r);
}

TEST_F(CapiTest, AFailedReceiveLeavesTheResultZeroed) {
  const uint8_t junk[] = {1, 2, 3};
  int unused = 0;
  candor_received r;
  Poison(&unused, &r, 1);
  EXPECT_NE(candor_client_receive(c_.bob, junk, sizeof junk, &r), CANDOR_OK);
  EXPECT_EQ(r.from, nullptr);
  EXPECT_EQ(r.text, nullptr);
  candor_received_free(&r);  // safe on a failed result
}

TEST_F(CapiTest, RotationTimersAndPurge) {
  uint32_t id = 0;
  ASSERT_EQ(candor_client_rotate_signed_prekey(c_.bob, &id), CANDOR_OK);
  EXPECT_EQ(id, 2u);
  ASSERT_EQ(candor_client_rotate_signed_prekey(c_.bob, &id), CANDOR_OK);
  EXPECT_EQ(id, 3u);
  EXPECT_EQ(candor_client_rotate_signed_prekey(c_.bob, nullptr), CANDOR_ERR_INVALID_ARGUMENT);

  EXPECT_EQ(candor_client_allow_classical_sessions(c_.bob, "carol", 1), CANDOR_OK);
  EXPECT_EQ(candor_client_allow_classical_sessions(c_.bob, "carol", 0), CANDOR_OK);
  EXPECT_EQ(candor_client_allow_classical_sessions(c_.bob, "carol", 2), CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_allow_classical_sessions(c_.bob, nullptr, 1), CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_allow_classical_sessions(c_.bob, "", 1), CANDOR_ERR_INVALID_ACCOUNT);

  // Bob's messages from alice disappear one second after storing. (The C
  // ABI runs on the system clock, so this test waits for it.)
  ASSERT_EQ(candor_client_set_disappearing_timer(c_.bob, "alice", 1), CANDOR_OK);
  EXPECT_EQ(candor_client_set_disappearing_timer(c_.bob, "", 1), CANDOR_ERR_INVALID_ACCOUNT);
  EXPECT_EQ(candor_client_set_disappearing_timer(c_.bob, "alice", UINT64_MAX),
            CANDOR_ERR_INVALID_ARGUMENT);
  const auto d = Deliverable("soon gone", true);  // from a bundle with the rotated key
  candor_received r{};
  ASSERT_EQ(candor_client_receive(c_.bob, d.data(), d.size(), &r), CANDOR_OK)
      << candor_last_error_message();
  candor_received_free(&r);
  // The session the bundle started is PQXDH.
  char* identity = nullptr;
  ASSERT_EQ(candor_client_identity_json(c_.bob, "alice", &identity), CANDOR_OK);
  EXPECT_NE(std::string(identity).find("\"session_setup\":\"pqxdh\""), std::string::npos)
      << identity;
  candor_string_free(identity);
  uint64_t purged = 99;
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  ASSERT_EQ(candor_client_purge_expired(c_.bob, &purged), CANDOR_OK);
  EXPECT_EQ(purged, 1u);
  char* history = nullptr;
  ASSERT_EQ(candor_client_history_json(c_.bob, "alice", 10, &history), CANDOR_OK);
  EXPECT_STREQ(history, "{\"messages\":[]}");
  candor_string_free(history);

  // 0 turns the timer off.
  ASSERT_EQ(candor_client_set_disappearing_timer(c_.bob, "alice", 0), CANDOR_OK);
  const auto kept = Deliverable("kept", false);
  ASSERT_EQ(candor_client_receive(c_.bob, kept.data(), kept.size(), &r), CANDOR_OK);
  candor_received_free(&r);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(candor_client_purge_expired(c_.bob, &purged), CANDOR_OK);
  EXPECT_EQ(purged, 0u);
}

}  // namespace

namespace {

// A peer who reinstalls, through the C ABI: the first message of alice's new
// device is held (CANDOR_ERR_IDENTITY_CHANGED), the status shows both safety
// numbers, and accepting receives it. A second handle on a store is refused.
TEST_F(CapiTest, IdentityChangeIsHeldUntilAcceptedAndOneHandlePerStore) {
  const auto first = Deliverable("hi", true);
  candor_received r{};
  ASSERT_EQ(candor_client_receive(c_.bob, first.data(), first.size(), &r), CANDOR_OK);
  candor_received_free(&r);

  candor_client* other = nullptr;
  EXPECT_EQ(candor_client_open(tmp_.File("bob.db").c_str(), bob_key_, nullptr, nullptr, &other), CANDOR_ERR_ALREADY_OPEN);
  EXPECT_EQ(other, nullptr);

  candor_client_free(c_.alice);  // alice's phone is gone; her new one:
  uint8_t new_key[CANDOR_KEY_BYTES];
  std::memset(new_key, 0xA2, sizeof new_key);
  ASSERT_EQ(candor_client_create(tmp_.File("alice2.db").c_str(), new_key, "alice", &c_.alice), CANDOR_OK);
  const auto held = Deliverable("new phone", true);
  EXPECT_EQ(candor_client_receive(c_.bob, held.data(), held.size(), &r), CANDOR_ERR_IDENTITY_CHANGED);
  EXPECT_STREQ(candor_error_name(CANDOR_ERR_IDENTITY_CHANGED), "identity_changed");

  char* status = nullptr;
  ASSERT_EQ(candor_client_identity_json(c_.bob, "alice", &status), CANDOR_OK);
  EXPECT_NE(std::string(status).find("\"new_safety_number\""), std::string::npos) << status;
  candor_string_free(status);
  char* received = nullptr;
  ASSERT_EQ(candor_client_accept_identity_change(c_.bob, "alice", nullptr, &received), CANDOR_OK)
      << candor_last_error_message();
  EXPECT_NE(std::string(received).find("\"text\":\"new phone\""), std::string::npos) << received;
  candor_string_free(received);
  EXPECT_EQ(candor_client_reject_identity_change(c_.bob, "alice"), CANDOR_ERR_INVALID_STATE);
  EXPECT_EQ(candor_client_delete_report(c_.bob, 1), CANDOR_ERR_NOT_FOUND);
}

}  // namespace

namespace {

// Groups through the C ABI: create, the pairwise envelopes relayed one by
// one, a group message fanned out by candor_relay_group, what receive says
// (group id, event), the JSON views, a group report's preview, and the
// free functions on zeroed and filled structs.
TEST_F(CapiTest, AGroupThroughTheCAbi) {
  uint8_t carol_key[CANDOR_KEY_BYTES];
  std::memset(carol_key, 0xC0, sizeof carol_key);
  candor_client* carol = nullptr;
  ASSERT_EQ(candor_client_create(tmp_.File("carol.db").c_str(), carol_key, "carol", &carol),
            CANDOR_OK);
  candor_buffer bundles[2] = {};
  ASSERT_EQ(candor_client_bundle(c_.bob, &bundles[0]), CANDOR_OK);
  ASSERT_EQ(candor_client_bundle(carol, &bundles[1]), CANDOR_OK);
  const char* members[] = {"bob", "carol"};
  candor_group_operation op{};
  ASSERT_EQ(candor_client_group_create(c_.alice, "C club", nullptr, 0, members, 2, bundles, 2, &op),
            CANDOR_OK)
      << candor_last_error_message();
  for (candor_buffer& b : bundles) candor_buffer_free(&b);
  ASSERT_EQ(op.envelope_count, 2u);
  EXPECT_EQ(op.group_envelope.size, 0u);
  const std::string group = op.group_id;
  ASSERT_EQ(group.size(), 64u);
  auto deliver = [&](const candor_buffer& envelope, candor_client* to) {
    candor_buffer delivery{}, ack{};
    EXPECT_EQ(candor_relay(relay_key_, envelope.data, envelope.size, ++now_, &delivery, &ack),
              CANDOR_OK);
    candor_received r{};
    const int code = candor_client_receive(to, delivery.data, delivery.size, &r);
    EXPECT_EQ(code, CANDOR_OK) << candor_last_error_message();
    std::string event = r.group_event != nullptr ? r.group_event : "";
    if (code == CANDOR_OK) {
      EXPECT_STREQ(r.group_id, group.c_str());
    }
    candor_received_free(&r);
    candor_buffer_free(&delivery);
    candor_buffer_free(&ack);
    return event;
  };
  EXPECT_EQ(deliver(op.envelopes[0], c_.bob), "joined");
  EXPECT_EQ(deliver(op.envelopes[1], carol), "joined");
  candor_group_operation_free(&op);
  EXPECT_EQ(op.envelopes, nullptr);
  candor_group_operation_free(&op);  // twice: harmless

  ASSERT_EQ(candor_client_group_send(c_.alice, group.c_str(), "hi all", nullptr, 0, &op), CANDOR_OK)
      << candor_last_error_message();
  ASSERT_EQ(op.envelope_count, 2u) << "alice's key to each member first";
  EXPECT_EQ(deliver(op.envelopes[0], c_.bob), "sender_key");
  EXPECT_EQ(deliver(op.envelopes[1], carol), "sender_key");
  candor_relayed_group fan{};
  ASSERT_EQ(candor_relay_group(relay_key_, op.group_envelope.data, op.group_envelope.size, ++now_,
                               &fan),
            CANDOR_OK)
      << candor_last_error_message();
  ASSERT_EQ(fan.count, 2u);
  int64_t reported = 0;
  for (size_t i = 0; i < fan.count; ++i) {
    candor_client* to = std::string(fan.recipients[i]) == "bob" ? c_.bob : carol;
    candor_received r{};
    ASSERT_EQ(candor_client_receive(to, fan.deliveries[i].data, fan.deliveries[i].size, &r),
              CANDOR_OK)
        << candor_last_error_message();
    EXPECT_STREQ(r.text, "hi all");
    EXPECT_STREQ(r.from, "alice");
    EXPECT_STREQ(r.group_id, group.c_str());
    EXPECT_EQ(r.group_event, nullptr) << "a message, not a control message";
    if (to == c_.bob) reported = r.message_id;
    candor_received_free(&r);
  }
  int64_t acked = 0;
  EXPECT_EQ(candor_client_handle_ack(c_.alice, fan.ack.data, fan.ack.size, &acked), CANDOR_OK);
  EXPECT_EQ(acked, op.message_id);
  candor_relayed_group_free(&fan);
  candor_relayed_group_free(&fan);
  candor_group_operation_free(&op);

  char* json = nullptr;
  ASSERT_EQ(candor_client_groups_json(c_.bob, &json), CANDOR_OK);
  EXPECT_NE(std::string(json).find("\"C club\""), std::string::npos) << json;
  candor_string_free(json);
  ASSERT_EQ(candor_client_group_history_json(carol, group.c_str(), 10, &json), CANDOR_OK);
  EXPECT_NE(std::string(json).find("hi all"), std::string::npos) << json;
  candor_string_free(json);
  ASSERT_EQ(candor_client_group_report_prepare(c_.bob, group.c_str(), reported, "spam", &json),
            CANDOR_OK)
      << candor_last_error_message();
  EXPECT_NE(std::string(json).find(group), std::string::npos) << "the preview names the group";
  candor_string_free(json);

  // Bad input: codes, nothing stored.
  const char* nobody[] = {nullptr};
  EXPECT_EQ(candor_client_group_change(c_.alice, group.c_str(), CANDOR_GROUP_ADD, nobody, 1,
                                       nullptr, nullptr, 0, &op),
            CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_group_change(c_.alice, group.c_str(), 99, nullptr, 0, nullptr, nullptr,
                                       0, &op),
            CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_group_send(c_.alice, "not hex", "x", nullptr, 0, &op),
            CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_group_send(carol, group.c_str(), "x", nullptr, 0, &op),
            CANDOR_ERR_INVALID_STATE)
      << "carol has no session with bob and gave no bundle";
  EXPECT_EQ(op.envelopes, nullptr);
  candor_client_free(carol);
}

}  // namespace

namespace {

// --- Attachments through the C ABI --------------------------------------------

struct Memory {
  std::vector<uint8_t> bytes;
  size_t at = 0;
  bool fail = false;
};

int64_t ReadMemory(void* context, uint8_t* buffer, size_t capacity) {
  auto* m = static_cast<Memory*>(context);
  if (m->fail) return -1;
  const size_t n = std::min(capacity, m->bytes.size() - m->at);
  std::memcpy(buffer, m->bytes.data() + m->at, n);
  m->at += n;
  return static_cast<int64_t>(n);
}

int WriteMemory(void* context, const uint8_t* data, size_t size) {
  auto* m = static_cast<Memory*>(context);
  if (m->fail) return 1;
  m->bytes.insert(m->bytes.end(), data, data + size);
  return 0;
}

int StopAfterTwo(void* context, uint64_t, uint64_t) { return ++*static_cast<int*>(context) < 2; }

TEST_F(CapiTest, AttachmentsSealSendFetchAndOpen) {
  ASSERT_FALSE(Deliverable("hi", true).empty());
  Memory photo;
  for (size_t i = 0; i < 200000; ++i) photo.bytes.push_back(static_cast<uint8_t>(i * 7));
  Memory blob;
  candor_attachment* a = nullptr;
  const uint8_t thumb[] = {9, 8, 7};
  ASSERT_EQ(candor_attachment_seal(c_.alice, ReadMemory, &photo, photo.bytes.size(), WriteMemory,
                                   &blob, "image/jpeg", "beach.jpg", thumb, sizeof thumb, nullptr,
                                   nullptr, &a),
            CANDOR_OK)
      << candor_last_error_message();
  EXPECT_EQ(candor_attachment_blob_size(a), blob.bytes.size());
  uint8_t id[32];
  candor_attachment_blob_id(a, id);
  candor_buffer upload{};
  ASSERT_EQ(candor_attachment_upload_request(a, &upload), CANDOR_OK);
  EXPECT_GT(upload.size, 32u);
  candor_buffer_free(&upload);

  candor_buffer envelope{}, delivery{}, ack{};
  int64_t sent_id = 0;
  const candor_attachment* list[] = {a};
  ASSERT_EQ(candor_client_send_with_attachments(c_.alice, "bob", "", list, 1, nullptr, 0, &sent_id,
                                                &envelope),
            CANDOR_OK)
      << candor_last_error_message();
  candor_attachment_free(a);  // the message holds its own copy of the pointer
  ASSERT_EQ(candor_relay(relay_key_, envelope.data, envelope.size, ++now_, &delivery, &ack), CANDOR_OK);
  candor_received got{};
  ASSERT_EQ(candor_client_receive(c_.bob, delivery.data, delivery.size, &got), CANDOR_OK);
  for (candor_buffer* b : {&envelope, &delivery, &ack}) candor_buffer_free(b);

  char* json = nullptr;
  ASSERT_EQ(candor_client_attachments_json(c_.bob, got.message_id, &json), CANDOR_OK);
  EXPECT_NE(std::string(json).find("\"file_name\":\"beach.jpg\""), std::string::npos) << json;
  candor_string_free(json);
  candor_buffer shown{};
  ASSERT_EQ(candor_client_attachment_thumbnail(c_.bob, got.message_id, 0, &shown), CANDOR_OK);
  EXPECT_EQ(std::vector<uint8_t>(shown.data, shown.data + shown.size), std::vector<uint8_t>(thumb, thumb + 3));
  candor_buffer_free(&shown);
  EXPECT_EQ(candor_client_attachment_thumbnail(c_.bob, got.message_id, 1, &shown),
            CANDOR_ERR_INVALID_ARGUMENT);
  candor_buffer fetch{};
  ASSERT_EQ(candor_client_attachment_fetch_request(c_.bob, got.message_id, 0, &fetch), CANDOR_OK);
  EXPECT_EQ(std::memcmp(fetch.data + fetch.size - 32, id, 32), 0) << "the request names the blob";
  candor_buffer_free(&fetch);

  Memory opened;
  ASSERT_EQ(candor_client_attachment_open(c_.bob, got.message_id, 0, ReadMemory, &blob,
                                          WriteMemory, &opened, nullptr, nullptr),
            CANDOR_OK)
      << candor_last_error_message();
  EXPECT_EQ(opened.bytes, photo.bytes);
  // A damaged blob, a failing reader, a cancelled transfer: clear codes.
  Memory damaged{blob.bytes};
  damaged.bytes[40] ^= 1;
  Memory sink;
  EXPECT_EQ(candor_client_attachment_open(c_.bob, got.message_id, 0, ReadMemory, &damaged,
                                          WriteMemory, &sink, nullptr, nullptr),
            CANDOR_ERR_DECRYPT_FAILED);
  Memory broken{blob.bytes, 0, true};
  EXPECT_EQ(candor_client_attachment_open(c_.bob, got.message_id, 0, ReadMemory, &broken,
                                          WriteMemory, &sink, nullptr, nullptr),
            CANDOR_ERR_STORAGE_FAILED);
  Memory again{blob.bytes};
  int calls = 0;
  EXPECT_EQ(candor_client_attachment_open(c_.bob, got.message_id, 0, ReadMemory, &again,
                                          WriteMemory, &sink, StopAfterTwo, &calls),
            CANDOR_ERR_CANCELLED);
  EXPECT_EQ(candor_client_attachment_open(c_.bob, got.message_id, 1, ReadMemory, &again,
                                          WriteMemory, &sink, nullptr, nullptr),
            CANDOR_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(candor_client_attachment_open(c_.bob, got.message_id, 0, nullptr, nullptr,
                                          WriteMemory, &sink, nullptr, nullptr),
            CANDOR_ERR_INVALID_ARGUMENT);
  candor_received_free(&got);
  // A refused name: nothing sealed, no handle.
  Memory small{{1, 2, 3}};
  Memory nothing;
  candor_attachment* bad = reinterpret_cast<candor_attachment*>(&small);
  EXPECT_STREQ(candor_error_name(candor_attachment_seal(c_.alice, ReadMemory, &small, 3,
                                                        WriteMemory, &nothing, nullptr, "../x",
                                                        nullptr, 0, nullptr, nullptr, &bad)),
               "field_out_of_range");
  EXPECT_EQ(bad, nullptr);
  EXPECT_TRUE(nothing.bytes.empty());
}

TEST_F(CapiTest, AttachmentsThroughTheCppLayer) {
  ASSERT_FALSE(Deliverable("hi", true).empty());
  candor::abi::Client alice, bob;
  // The fixture's clients hold the stores; these wrappers open second
  // handles only after those are closed.
  candor_client_free(c_.alice);
  candor_client_free(c_.bob);
  c_.alice = c_.bob = nullptr;
  ASSERT_TRUE(candor::abi::Client::Open(tmp_.File("alice.db"), alice_key_, alice).ok());
  ASSERT_TRUE(candor::abi::Client::Open(tmp_.File("bob.db"), bob_key_, bob).ok());
  const candor::abi::Bytes photo(100000, 0x42);
  candor::abi::Bytes blob, envelope, delivery, ack, opened;
  candor::abi::Attachment a;
  ASSERT_TRUE(alice.SealAttachment(photo, "image/png", "p.png", blob, a).ok());
  EXPECT_EQ(a.blob_id().size(), 32u);
  int64_t id = 0;
  auto sent = alice.SendWithAttachments("bob", "", {&a}, {}, id, envelope);
  ASSERT_TRUE(sent.ok()) << sent.message;
  ASSERT_TRUE(candor::abi::Relay(relay_key_, envelope, ++now_, delivery, ack).ok());
  candor::abi::Received got;
  ASSERT_TRUE(bob.Receive(delivery, got).ok());
  ASSERT_TRUE(bob.OpenAttachment(got.message_id, 0, blob, opened).ok());
  EXPECT_EQ(opened, photo);
  blob[100] ^= 1;
  candor::abi::Bytes untouched = {1};
  EXPECT_EQ(bob.OpenAttachment(got.message_id, 0, blob, untouched).code, CANDOR_ERR_DECRYPT_FAILED);
  EXPECT_EQ(untouched, candor::abi::Bytes{1}) << "nothing handed out on failure";
}

}  // namespace
