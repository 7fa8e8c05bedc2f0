// The C ABI (include/candor/candor.h) over candor::client::Client, the
// reference relay and the report Verifier. Every entry point runs inside
// Call(): errors become codes plus a thread-local message, and any C++
// exception (a bug, or std::bad_alloc) becomes CANDOR_ERR_INTERNAL /
// CANDOR_ERR_OUT_OF_MEMORY instead of crossing into C.
#include "candor/candor.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "candor/client/client.h"
#include "candor/crypto/errc.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/random.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/wire.h"
#include "candor/protocol/report_wire.h"
#include "candor/report/verifier.h"
#include "capi_internal.h"
#include "received_slot.h"

namespace candor::capi {

thread_local std::string last_error;

candor::client::Clock& SharedClock() {
  static candor::client::SystemClock clock;
  return clock;
}

int Fail(Errc code, std::string message) {
  last_error = std::move(message);
  return static_cast<int>(code);
}

int Fail(const Error& error) { return Fail(error.code(), error.message()); }

Result<void> Need(bool ok, const char* what) {
  if (!ok) return Error(Errc::kInvalidArgument, what);
  return candor::Ok();
}

char* CopyString(std::string_view s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

void Fill(candor_buffer* out, candor::ByteView bytes) {
  out->data = static_cast<uint8_t*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
  if (out->data == nullptr) throw std::bad_alloc();
  std::memcpy(out->data, bytes.data(), bytes.size());
  out->size = bytes.size();
}

SecretArray<32> KeyFrom(const uint8_t key[CANDOR_KEY_BYTES]) {
  SecretArray<32> k;
  std::memcpy(k.Expose().data(), key, CANDOR_KEY_BYTES);
  return k;
}

Result<candor::crypto::GroupId> GroupFrom(const char* hex) {
  if (hex == nullptr) return Error(Errc::kInvalidArgument, "null group id");
  return candor::client::GroupIdFromHex(hex);
}

Result<candor::client::Bundles> BundlesFrom(const candor_buffer* bundles, size_t count) {
  CANDOR_RETURN_IF_ERROR(Need(bundles != nullptr || count == 0, "bundle count without bundles"));
  candor::client::Bundles out;
  for (size_t i = 0; i < count; ++i) {
    CANDOR_RETURN_IF_ERROR(Need(bundles[i].data != nullptr || bundles[i].size == 0, "null bundle"));
    const candor::ByteView bytes(bundles[i].data, bundles[i].size);
    CANDOR_ASSIGN_OR_RETURN(auto bundle, candor::protocol::DecodePrekeyBundle(bytes));
    out[bundle.account] = candor::Bytes(bytes.begin(), bytes.end());
  }
  return out;
}

void FillOperation(candor_group_operation* out, const candor::client::GroupOperation& op) {
  *out = candor_group_operation{};
  out->group_id = CopyString(candor::client::GroupIdToHex(op.group));
  out->message_id = op.message_id;
  if (!op.envelopes.empty()) {
    out->envelopes =
        static_cast<candor_buffer*>(std::calloc(op.envelopes.size(), sizeof(candor_buffer)));
    if (out->envelopes == nullptr) throw std::bad_alloc();
    out->envelope_count = op.envelopes.size();
    for (size_t i = 0; i < op.envelopes.size(); ++i) Fill(&out->envelopes[i], op.envelopes[i].bytes);
  }
  if (op.group_envelope) Fill(&out->group_envelope, op.group_envelope->bytes);
}

}  // namespace candor::capi

namespace {

using candor::Errc;
using candor::Error;
using candor::Result;

static_assert(CANDOR_ERR_DUPLICATE_MESSAGE == static_cast<int>(Errc::kDuplicateMessage));
static_assert(CANDOR_ERR_PREVIEW_MISMATCH == static_cast<int>(Errc::kPreviewMismatch));
static_assert(CANDOR_ERR_WRONG_KEY == static_cast<int>(Errc::kWrongKey));
static_assert(CANDOR_ERR_NOT_FOUND == static_cast<int>(Errc::kNotFound));
static_assert(CANDOR_ERR_POLICY_VIOLATION == static_cast<int>(Errc::kPolicyViolation));
static_assert(CANDOR_ERR_STORAGE_FAILED == static_cast<int>(Errc::kStorageFailed));
static_assert(CANDOR_ERR_ALREADY_OPEN == static_cast<int>(Errc::kAlreadyOpen));
static_assert(CANDOR_ERR_IDENTITY_CHANGED == static_cast<int>(Errc::kIdentityChanged));
static_assert(CANDOR_ERR_PQ_PREKEY_MISSING == static_cast<int>(Errc::kPqPrekeyMissing));
static_assert(CANDOR_ERR_SEALED_CREDENTIAL_MISSING ==
              static_cast<int>(Errc::kSealedCredentialMissing));
static_assert(CANDOR_ERR_BAD_SENDER_CERTIFICATE == static_cast<int>(Errc::kBadSenderCertificate));
static_assert(CANDOR_ERR_BAD_MODERATION_TOKEN == static_cast<int>(Errc::kBadModerationToken));
static_assert(CANDOR_ERR_TOKEN_REUSED == static_cast<int>(Errc::kTokenReused));
static_assert(CANDOR_ERR_INVALID_STATE == static_cast<int>(Errc::kInvalidState));
using candor::capi::BundlesFrom;
using candor::capi::Call;
using candor::capi::CopyString;
using candor::capi::Fail;
using candor::capi::Fill;
using candor::capi::GroupFrom;
using candor::capi::GroupOperation;
using candor::capi::KeyFrom;
using candor::capi::Need;
using candor::capi::SharedClock;
using candor::capi::last_error;


Result<candor::storage::StoreKey> Passphrase(const char* passphrase) {
  const size_t n = std::strlen(passphrase);
  return candor::storage::StoreKey::Passphrase(candor::SecretBytes::CopyFrom(
      std::span(reinterpret_cast<const uint8_t*>(passphrase), n)));
}

candor::client::ClientOptions OptionsWith(candor_progress_fn progress, void* context) {
  candor::client::ClientOptions options;
  if (progress != nullptr) {
    options.store.migration_progress = [progress, context](uint64_t done, uint64_t total) {
      progress(context, done, total);
    };
  }
  return options;
}

Result<void> Create(const char* path, const candor::storage::StoreKey& key, const char* account,
                    candor_client** out) {
  auto c = candor::client::Client::Create(path, key, account, candor::crypto::SystemRandom(),
                                          SharedClock());
  if (!c.has_value()) return c.error();
  *out = new candor_client{std::move(c).value()};
  return candor::Ok();
}

Result<void> Open(const char* path, const candor::storage::StoreKey& key,
                  candor_progress_fn progress, void* context, candor_client** out) {
  auto c = candor::client::Client::Open(path, key, candor::crypto::SystemRandom(), SharedClock(),
                                        OptionsWith(progress, context));
  if (!c.has_value()) return c.error();
  *out = new candor_client{std::move(c).value()};
  return candor::Ok();
}

Result<std::vector<std::string>> Accounts(const char* const* accounts, size_t count) {
  CANDOR_RETURN_IF_ERROR(Need(accounts != nullptr || count == 0, "account count without accounts"));
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    CANDOR_RETURN_IF_ERROR(Need(accounts[i] != nullptr, "null account"));
    out.emplace_back(accounts[i]);
  }
  return out;
}

}  // namespace

extern "C" {

const char* candor_version(void) { return CANDOR_VERSION; }  // the CMake project version
int candor_abi_version(void) { return CANDOR_ABI_VERSION; }
const char* candor_error_name(int code) {
  if (code == CANDOR_OK) return "ok";
  // ErrcName's views point at string literals: NUL-terminated.
  return candor::ErrcName(static_cast<Errc>(code)).data();
}
const char* candor_last_error_message(void) { return last_error.c_str(); }

void candor_buffer_free(candor_buffer* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}
void candor_string_free(char* string) { std::free(string); }

int candor_client_create(const char* path, const uint8_t key[CANDOR_KEY_BYTES], const char* account,
                         candor_client** out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(path && key && account && out, "null argument"));
    return Create(path, candor::storage::StoreKey::Raw(KeyFrom(key)), account, out);
  });
}

int candor_client_open(const char* path, const uint8_t key[CANDOR_KEY_BYTES],
                       candor_progress_fn progress, void* progress_context, candor_client** out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(path && key && out, "null argument"));
    return Open(path, candor::storage::StoreKey::Raw(KeyFrom(key)), progress, progress_context, out);
  });
}

int candor_client_create_with_passphrase(const char* path, const char* passphrase,
                                         const char* account, candor_client** out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(path && passphrase && account && out, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto key, Passphrase(passphrase));
    return Create(path, key, account, out);
  });
}

int candor_client_open_with_passphrase(const char* path, const char* passphrase,
                                       candor_progress_fn progress, void* progress_context,
                                       candor_client** out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(path && passphrase && out, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto key, Passphrase(passphrase));
    return Open(path, key, progress, progress_context, out);
  });
}

void candor_client_free(candor_client* client) { delete client; }

const char* candor_client_account(const candor_client* client) {
  return client == nullptr ? "" : client->client.account().c_str();
}

int candor_client_bundle(candor_client* client, candor_buffer* bundle) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && bundle, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto item, client->client.PublishBundle());
    Fill(bundle, item.bytes);
    return candor::Ok();
  });
}

int candor_client_send(candor_client* client, const char* peer, const char* text,
                       const uint8_t* bundle, size_t bundle_size, int64_t* message_id,
                       candor_buffer* envelope) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && text && message_id && envelope, "null argument"));
    CANDOR_RETURN_IF_ERROR(Need(bundle != nullptr || bundle_size == 0, "bundle size without bundle"));
    std::optional<candor::ByteView> b;
    if (bundle != nullptr) b = candor::ByteView(bundle, bundle_size);
    CANDOR_ASSIGN_OR_RETURN(auto sent, client->client.Send(peer, text, b));
    Fill(envelope, sent.envelope.bytes);
    *message_id = sent.message_id;
    return candor::Ok();
  });
}

void candor_received_free(candor_received* received) {
  if (received == nullptr) return;
  std::free(received->from);
  std::free(received->text);
  std::free(received->group_id);
  std::free(received->group_event);
  received->from = received->text = received->group_id = received->group_event = nullptr;
}

int candor_client_receive(candor_client* client, const uint8_t* delivery, size_t delivery_size,
                          candor_received* out) {
  if (out != nullptr) *out = candor_received{0, nullptr, nullptr, 0, nullptr, nullptr};
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && delivery && out, "null argument"));
    // Everything that can fail happens before the commit (received_slot.h).
    candor::capi::ReceivedSlot slot(delivery_size);
    CANDOR_ASSIGN_OR_RETURN(auto m, client->client.Receive(candor::ByteView(delivery, delivery_size)));
    slot.Fill(out, m);
    return candor::Ok();
  });
}

int candor_client_receive_batch(candor_client* client, const candor_buffer* deliveries,
                                size_t count, candor_progress_fn progress, void* progress_context,
                                int* results, candor_received* received) {
  const bool have_entries = count > 0 && results != nullptr && received != nullptr;
  const int code = Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && (count == 0 || (deliveries && results && received)),
                                "null argument"));
    // Every entry is set before anything can fail, and all allocation
    // happens before the batch commits (received_slot.h).
    for (size_t i = 0; i < count; ++i) received[i] = candor_received{0, nullptr, nullptr, 0, nullptr, nullptr};
    std::vector<candor::ByteView> views;
    std::vector<candor::capi::ReceivedSlot> slots;
    views.reserve(count);
    slots.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      views.emplace_back(deliveries[i].data, deliveries[i].size);
      slots.emplace_back(deliveries[i].size);
    }
    candor::storage::ProgressFn step;
    if (progress != nullptr) {
      step = [&](uint64_t done, uint64_t total) { progress(progress_context, done, total); };
    }
    CANDOR_ASSIGN_OR_RETURN(auto out, client->client.ReceiveBatch(views, step));
    // After the commit: nothing below allocates or fails.
    for (size_t i = 0; i < count; ++i) {
      if (out[i].has_value()) {
        results[i] = CANDOR_OK;
        slots[i].Fill(&received[i], *out[i]);
      } else {
        results[i] = static_cast<int>(out[i].error().code());
      }
    }
    return candor::Ok();
  });
  // The whole batch failed (nothing stored): every entry says so.
  if (code != CANDOR_OK && have_entries) {
    for (size_t i = 0; i < count; ++i) {
      results[i] = code;
      received[i] = candor_received{0, nullptr, nullptr, 0, nullptr, nullptr};
    }
  }
  return code;
}

int candor_client_handle_ack(candor_client* client, const uint8_t* ack, size_t ack_size,
                             int64_t* message_id) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && ack && message_id, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(*message_id, client->client.HandleAck(candor::ByteView(ack, ack_size)));
    return candor::Ok();
  });
}

int candor_client_history_json(candor_client* client, const char* peer, size_t limit, char** json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto entries, client->client.History(peer, limit));
    *json = CopyString(candor::client::HistoryToJson(entries));
    return candor::Ok();
  });
}

int candor_client_search_json(candor_client* client, const char* query, const char* peer,
                              size_t limit, char** json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && query && json, "null argument"));
    std::optional<std::string_view> with;
    if (peer != nullptr) with = peer;
    CANDOR_ASSIGN_OR_RETURN(auto hits, client->client.Search(query, with, limit));
    *json = CopyString(candor::client::SearchToJson(hits));
    return candor::Ok();
  });
}

int candor_client_identity_json(candor_client* client, const char* peer, char** json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(std::string out, candor::client::IdentityStatusJson(client->client, peer));
    *json = CopyString(out);
    return candor::Ok();
  });
}

int candor_client_accept_identity_change(candor_client* client, const char* peer,
                                         const char* shown_safety_number, char** received_json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && received_json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto received, client->client.AcceptIdentityChange(
                                               peer, shown_safety_number != nullptr
                                                         ? std::string_view(shown_safety_number)
                                                         : std::string_view()));
    *received_json = CopyString(candor::client::ReceivedListToJson(received));
    return candor::Ok();
  });
}

int candor_client_verify_identity(candor_client* client, const char* peer,
                                  const char* safety_number, char** received_json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && safety_number && received_json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto received, client->client.VerifyIdentity(peer, safety_number));
    *received_json = CopyString(candor::client::ReceivedListToJson(received));
    return candor::Ok();
  });
}

int candor_client_reject_identity_change(candor_client* client, const char* peer) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer, "null argument"));
    return client->client.RejectIdentityChange(peer);
  });
}

int candor_client_delete_report(candor_client* client, int64_t report_id) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client != nullptr, "null argument"));
    return client->client.DeleteReport(report_id);
  });
}

int candor_client_fingerprint(candor_client* client, const char* peer, char** fingerprint) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && fingerprint, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(std::string f, client->client.Fingerprint(peer));
    *fingerprint = CopyString(f);
    return candor::Ok();
  });
}

int candor_client_rotate_signed_prekey(candor_client* client, uint32_t* signed_prekey_id) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && signed_prekey_id, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(*signed_prekey_id, client->client.RotateSignedPrekey());
    return candor::Ok();
  });
}

int candor_client_allow_classical_sessions(candor_client* client, const char* peer, int allow) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer, "null argument"));
    CANDOR_RETURN_IF_ERROR(Need(allow == 0 || allow == 1, "allow must be 0 or 1"));
    return client->client.AllowClassicalSessions(peer, allow == 1);
  });
}

int candor_client_set_disappearing_timer(candor_client* client, const char* peer,
                                         uint64_t seconds) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer, "null argument"));
    std::optional<uint64_t> timer;
    if (seconds > 0) timer = seconds;
    return client->client.SetDisappearingTimer(peer, timer);
  });
}

int candor_client_purge_expired(candor_client* client, uint64_t* purged) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && purged, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(size_t n, client->client.PurgeExpired());
    *purged = n;
    return candor::Ok();
  });
}

int candor_client_report_prepare(candor_client* client, const char* peer, int64_t message_id,
                                 const char* reason, char** preview_json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && reason && preview_json, "null argument"));
    auto r = candor::protocol::ParseReportReason(reason);
    if (!r.has_value()) return Error(Errc::kInvalidArgument, r.error().message());
    CANDOR_ASSIGN_OR_RETURN(auto preview, client->client.PrepareReport(peer, message_id, *r));
    CANDOR_ASSIGN_OR_RETURN(std::string json, candor::protocol::ReportPreviewToJson(preview, true));
    *preview_json = CopyString(json);
    return candor::Ok();
  });
}

int candor_client_report_submit(candor_client* client, const char* preview_json,
                                const uint8_t moderator_public_key[CANDOR_KEY_BYTES],
                                int64_t* report_id, candor_buffer* sealed) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(
        Need(client && preview_json && moderator_public_key && report_id && sealed, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto preview, candor::protocol::ReportPreviewFromJson(preview_json));
    CANDOR_ASSIGN_OR_RETURN(auto moderator, candor::crypto::X25519PublicKey::FromBytes(
                                                candor::ByteView(moderator_public_key, CANDOR_KEY_BYTES)));
    CANDOR_ASSIGN_OR_RETURN(auto submitted, client->client.SubmitReport(preview, moderator));
    Fill(sealed, submitted.report.bytes);
    *report_id = submitted.report_id;
    return candor::Ok();
  });
}

int candor_generate_relay_key(uint8_t key[CANDOR_KEY_BYTES]) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(key != nullptr, "null argument"));
    const auto k = candor::crypto::GenerateRelayKey(candor::crypto::SystemRandom());
    std::memcpy(key, k.Expose().data(), CANDOR_KEY_BYTES);
    return candor::Ok();
  });
}

int candor_generate_moderator_keys(uint8_t secret_key[CANDOR_KEY_BYTES],
                                   uint8_t public_key[CANDOR_KEY_BYTES]) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(secret_key && public_key, "null argument"));
    const auto pair = candor::crypto::X25519KeyPair::Generate(candor::crypto::SystemRandom());
    std::memcpy(secret_key, pair.private_key().Expose().data(), CANDOR_KEY_BYTES);
    std::memcpy(public_key, pair.public_key().bytes().data(), CANDOR_KEY_BYTES);
    return candor::Ok();
  });
}

void candor_group_operation_free(candor_group_operation* operation) {
  if (operation == nullptr) return;
  std::free(operation->group_id);
  for (size_t i = 0; i < operation->envelope_count; ++i) {
    candor_buffer_free(&operation->envelopes[i]);
  }
  std::free(operation->envelopes);
  candor_buffer_free(&operation->group_envelope);
  *operation = candor_group_operation{};
}

int candor_client_group_create(candor_client* client, const char* name, const uint8_t* avatar,
                               size_t avatar_size, const char* const* members, size_t member_count,
                               const candor_buffer* bundles, size_t bundle_count,
                               candor_group_operation* out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && name, "null argument"));
    CANDOR_RETURN_IF_ERROR(Need(avatar != nullptr || avatar_size == 0, "avatar size without avatar"));
    CANDOR_ASSIGN_OR_RETURN(auto accounts, Accounts(members, member_count));
    CANDOR_ASSIGN_OR_RETURN(auto b, BundlesFrom(bundles, bundle_count));
    return GroupOperation(out, [&] {
      return client->client.CreateGroup(name, candor::ByteView(avatar, avatar_size),
                                        std::move(accounts), b);
    });
  });
}

int candor_client_group_change(candor_client* client, const char* group_id, int change,
                               const char* const* accounts, size_t account_count, const char* name,
                               const candor_buffer* bundles, size_t bundle_count,
                               candor_group_operation* out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client != nullptr, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto g, GroupFrom(group_id));
    CANDOR_ASSIGN_OR_RETURN(auto list, Accounts(accounts, account_count));
    CANDOR_ASSIGN_OR_RETURN(auto b, BundlesFrom(bundles, bundle_count));
    auto& c = client->client;
    switch (change) {
      case CANDOR_GROUP_ADD:
        return GroupOperation(out, [&] { return c.AddGroupMembers(g, std::move(list), b); });
      case CANDOR_GROUP_REMOVE:
        return GroupOperation(out, [&] { return c.RemoveGroupMembers(g, std::move(list), b); });
      case CANDOR_GROUP_MAKE_ADMIN:
        return GroupOperation(out, [&] { return c.MakeGroupAdmins(g, std::move(list), b); });
      case CANDOR_GROUP_RENAME:
        CANDOR_RETURN_IF_ERROR(Need(name != nullptr, "a rename needs a name"));
        return GroupOperation(out, [&] { return c.RenameGroup(g, name, b); });
      case CANDOR_GROUP_LEAVE:
        return GroupOperation(out, [&] { return c.LeaveGroup(g, b); });
      default:
        return Error(Errc::kInvalidArgument, "unknown group change");
    }
  });
}

int candor_client_group_send(candor_client* client, const char* group_id, const char* text,
                             const candor_buffer* bundles, size_t bundle_count,
                             candor_group_operation* out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && text, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto g, GroupFrom(group_id));
    CANDOR_ASSIGN_OR_RETURN(auto b, BundlesFrom(bundles, bundle_count));
    return GroupOperation(out, [&] { return client->client.SendGroup(g, text, b); });
  });
}

int candor_client_groups_json(candor_client* client, char** json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto groups, client->client.Groups());
    *json = CopyString(candor::client::GroupsToJson(groups));
    return candor::Ok();
  });
}

int candor_client_group_history_json(candor_client* client, const char* group_id, size_t limit,
                                     char** json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto g, GroupFrom(group_id));
    CANDOR_ASSIGN_OR_RETURN(auto entries, client->client.GroupHistory(g, limit));
    *json = CopyString(candor::client::HistoryToJson(entries));
    return candor::Ok();
  });
}

int candor_client_group_report_prepare(candor_client* client, const char* group_id,
                                       int64_t message_id, const char* reason,
                                       char** preview_json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && reason && preview_json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto g, GroupFrom(group_id));
    auto r = candor::protocol::ParseReportReason(reason);
    if (!r.has_value()) return Error(Errc::kInvalidArgument, r.error().message());
    CANDOR_ASSIGN_OR_RETURN(auto preview, client->client.PrepareGroupReport(g, message_id, *r));
    CANDOR_ASSIGN_OR_RETURN(std::string json, candor::protocol::ReportPreviewToJson(preview, true));
    *preview_json = CopyString(json);
    return candor::Ok();
  });
}

void candor_relayed_group_free(candor_relayed_group* relayed) {
  if (relayed == nullptr) return;
  for (size_t i = 0; i < relayed->count; ++i) {
    if (relayed->recipients != nullptr) std::free(relayed->recipients[i]);
    if (relayed->deliveries != nullptr) candor_buffer_free(&relayed->deliveries[i]);
  }
  std::free(relayed->recipients);
  std::free(relayed->deliveries);
  candor_buffer_free(&relayed->ack);
  *relayed = candor_relayed_group{};
}

int candor_relay_group(const uint8_t relay_key[CANDOR_KEY_BYTES], const uint8_t* group_envelope,
                       size_t group_envelope_size, uint64_t server_time,
                       candor_relayed_group* out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(relay_key && group_envelope && out, "null argument"));
    *out = candor_relayed_group{};
    CANDOR_ASSIGN_OR_RETURN(
        auto relayed, candor::protocol::RelayGroupEnvelope(
                          KeyFrom(relay_key), candor::ByteView(group_envelope, group_envelope_size),
                          server_time));
    try {
      const size_t n = relayed.deliveries.size();
      out->recipients = static_cast<char**>(std::calloc(n == 0 ? 1 : n, sizeof(char*)));
      out->deliveries = static_cast<candor_buffer*>(std::calloc(n == 0 ? 1 : n, sizeof(candor_buffer)));
      if (out->recipients == nullptr || out->deliveries == nullptr) throw std::bad_alloc();
      out->count = n;
      for (size_t i = 0; i < n; ++i) {
        out->recipients[i] = CopyString(relayed.deliveries[i].first);
        Fill(&out->deliveries[i], relayed.deliveries[i].second);
      }
      Fill(&out->ack, relayed.ack);
    } catch (...) {
      candor_relayed_group_free(out);
      throw;
    }
    return candor::Ok();
  });
}

int candor_relay(const uint8_t relay_key[CANDOR_KEY_BYTES], const uint8_t* envelope,
                 size_t envelope_size, uint64_t server_time, candor_buffer* delivery,
                 candor_buffer* ack) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(relay_key && envelope && delivery && ack, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto relayed,
                            candor::protocol::RelayEnvelope(KeyFrom(relay_key),
                                                            candor::ByteView(envelope, envelope_size),
                                                            server_time));
    Fill(delivery, relayed.delivery);
    Fill(ack, relayed.ack);
    return candor::Ok();
  });
}

int candor_moderate_json(const uint8_t moderator_secret_key[CANDOR_KEY_BYTES],
                         const uint8_t relay_key[CANDOR_KEY_BYTES], const uint8_t* sealed,
                         size_t sealed_size, char** verdict_json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(
        Need(moderator_secret_key && relay_key && sealed && verdict_json, "null argument"));
    *verdict_json = nullptr;
    const candor::report::Verifier verifier(
        candor::crypto::X25519KeyPair::FromPrivate(KeyFrom(moderator_secret_key)), KeyFrom(relay_key));
    CANDOR_ASSIGN_OR_RETURN(auto report, verifier.Verify(candor::ByteView(sealed, sealed_size)));
    *verdict_json = CopyString(candor::report::VerifiedReportToJson(report));
    return candor::Ok();
  });
}

}  // extern "C"
