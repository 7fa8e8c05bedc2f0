// candor.hpp — a header-only C++17 convenience layer over the C ABI
// (candor.h): RAII owners for handles, buffers and strings, and calls that
// return a Status instead of a bare code. It adds no symbols to the library
// and keeps the C ABI's stability: only candor_* functions are called.
#ifndef CANDOR_CANDOR_HPP_
#define CANDOR_CANDOR_HPP_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "candor/candor.h"

namespace candor::abi {

struct Status {
  int code = CANDOR_OK;
  std::string message;
  bool ok() const { return code == CANDOR_OK; }
  std::string name() const { return candor_error_name(code); }
};

inline Status Check(int code) {
  return code == CANDOR_OK ? Status{} : Status{code, candor_last_error_message()};
}

using Bytes = std::vector<uint8_t>;

// Takes ownership of a candor_buffer and copies it out.
inline Bytes Take(candor_buffer& b) {
  Bytes out(b.data, b.data + b.size);
  candor_buffer_free(&b);
  return out;
}

inline std::string Take(char* s) {
  std::string out(s != nullptr ? s : "");
  candor_string_free(s);
  return out;
}

struct Received {
  int64_t message_id = 0;
  std::string from;
  std::string text;
  uint64_t server_time = 0;
  std::string group_id;     // empty unless a group message or control message
  std::string group_event;  // empty unless a group control message
};

// What a group operation hands out, in order (candor_group_operation).
struct GroupOperation {
  std::string group_id;
  int64_t message_id = 0;
  std::vector<Bytes> envelopes;  // over pairwise sessions: candor_relay each
  Bytes group_envelope;          // a group message: candor_relay_group
};

// An attachment sealed for sending (candor_attachment); the key is wiped
// when it goes.
class Attachment {
 public:
  const candor_attachment* get() const { return handle_.get(); }
  Bytes blob_id() const {
    Bytes id(32);
    candor_attachment_blob_id(handle_.get(), id.data());
    return id;
  }
  Status UploadRequest(Bytes& out) const {
    candor_buffer b{};
    Status s = Check(candor_attachment_upload_request(handle_.get(), &b));
    if (s.ok()) out = Take(b);
    return s;
  }

 private:
  friend class Client;
  struct Free {
    void operator()(candor_attachment* a) const { candor_attachment_free(a); }
  };
  std::unique_ptr<candor_attachment, Free> handle_;
};

namespace internal {
// In-memory streams for the convenience calls below; stream large files
// through the C ABI's callbacks instead.
struct Reader {
  const Bytes* bytes;
  size_t at = 0;
  static int64_t Read(void* self, uint8_t* buffer, size_t capacity) {
    auto* r = static_cast<Reader*>(self);
    const size_t n = std::min(capacity, r->bytes->size() - r->at);
    std::copy(r->bytes->begin() + static_cast<std::ptrdiff_t>(r->at),
              r->bytes->begin() + static_cast<std::ptrdiff_t>(r->at + n), buffer);
    r->at += n;
    return static_cast<int64_t>(n);
  }
};
inline int Write(void* out, const uint8_t* data, size_t size) {
  static_cast<Bytes*>(out)->insert(static_cast<Bytes*>(out)->end(), data, data + size);
  return 0;
}
}  // namespace internal

class Client {
 public:
  static Status Create(const std::string& path, const uint8_t (&key)[CANDOR_KEY_BYTES],
                       const std::string& account, Client& out) {
    candor_client* c = nullptr;
    Status s = Check(candor_client_create(path.c_str(), key, account.c_str(), &c));
    out.handle_.reset(c);
    return s;
  }
  static Status Open(const std::string& path, const uint8_t (&key)[CANDOR_KEY_BYTES], Client& out) {
    candor_client* c = nullptr;
    Status s = Check(candor_client_open(path.c_str(), key, nullptr, nullptr, &c));
    out.handle_.reset(c);
    return s;
  }

  std::string account() const { return candor_client_account(handle_.get()); }

  Status Bundle(Bytes& bundle) {
    candor_buffer b{};
    Status s = Check(candor_client_bundle(handle_.get(), &b));
    if (s.ok()) bundle = Take(b);
    return s;
  }
  Status Send(const std::string& peer, const std::string& text, const Bytes* bundle,
              int64_t& message_id, Bytes& envelope) {
    candor_buffer e{};
    Status s = Check(candor_client_send(handle_.get(), peer.c_str(), text.c_str(),
                                        bundle != nullptr ? bundle->data() : nullptr,
                                        bundle != nullptr ? bundle->size() : 0, &message_id, &e));
    if (s.ok()) envelope = Take(e);
    return s;
  }
  Status Receive(const Bytes& delivery, Received& out) {
    candor_received r{};
    Status s = Check(candor_client_receive(handle_.get(), delivery.data(), delivery.size(), &r));
    if (s.ok()) {
      out = Received{r.message_id, r.from, r.text, r.server_time,
                     r.group_id != nullptr ? r.group_id : "",
                     r.group_event != nullptr ? r.group_event : ""};
      candor_received_free(&r);
    }
    return s;
  }
  Status HandleAck(const Bytes& ack, int64_t& message_id) {
    return Check(candor_client_handle_ack(handle_.get(), ack.data(), ack.size(), &message_id));
  }
  Status HistoryJson(const std::string& peer, size_t limit, std::string& json) {
    char* j = nullptr;
    Status s = Check(candor_client_history_json(handle_.get(), peer.c_str(), limit, &j));
    if (s.ok()) json = Take(j);
    return s;
  }
  // peer empty: every conversation.
  Status SearchJson(const std::string& query, const std::string& peer, size_t limit,
                    std::string& json) {
    char* j = nullptr;
    Status s = Check(candor_client_search_json(handle_.get(), query.c_str(),
                                               peer.empty() ? nullptr : peer.c_str(), limit, &j));
    if (s.ok()) json = Take(j);
    return s;
  }
  Status Fingerprint(const std::string& peer, std::string& fingerprint) {
    char* f = nullptr;
    Status s = Check(candor_client_fingerprint(handle_.get(), peer.c_str(), &f));
    if (s.ok()) fingerprint = Take(f);
    return s;
  }
  Status RotateSignedPrekey(uint32_t& signed_prekey_id) {
    return Check(candor_client_rotate_signed_prekey(handle_.get(), &signed_prekey_id));
  }
  // Classical X3DH sessions with `peer` when its bundle has no ML-KEM prekey.
  Status AllowClassicalSessions(const std::string& peer, bool allow) {
    return Check(candor_client_allow_classical_sessions(handle_.get(), peer.c_str(), allow ? 1 : 0));
  }
  // 0 turns the timer off.
  Status SetDisappearingTimer(const std::string& peer, uint64_t seconds) {
    return Check(candor_client_set_disappearing_timer(handle_.get(), peer.c_str(), seconds));
  }
  Status PurgeExpired(uint64_t& purged) {
    return Check(candor_client_purge_expired(handle_.get(), &purged));
  }
  Status PrepareReport(const std::string& peer, int64_t message_id, const std::string& reason,
                       std::string& preview_json) {
    char* p = nullptr;
    Status s = Check(candor_client_report_prepare(handle_.get(), peer.c_str(), message_id,
                                                  reason.c_str(), &p));
    if (s.ok()) preview_json = Take(p);
    return s;
  }
  Status SubmitReport(const std::string& preview_json, const uint8_t (&moderator)[CANDOR_KEY_BYTES],
                      int64_t& report_id, Bytes& sealed) {
    candor_buffer b{};
    Status s = Check(candor_client_report_submit(handle_.get(), preview_json.c_str(), moderator,
                                                 &report_id, &b));
    if (s.ok()) sealed = Take(b);
    return s;
  }
  Status DeleteReport(int64_t report_id) {
    return Check(candor_client_delete_report(handle_.get(), report_id));
  }

  // Groups (docs/groups.md). `bundles`: of members without a session yet.
  Status CreateGroup(const std::string& name, const std::vector<std::string>& members,
                     const std::vector<Bytes>& bundles, GroupOperation& out) {
    std::vector<const char*> m;
    for (const std::string& a : members) m.push_back(a.c_str());
    std::vector<candor_buffer> b = Buffers(bundles);
    candor_group_operation op{};
    Status s = Check(candor_client_group_create(handle_.get(), name.c_str(), nullptr, 0, m.data(),
                                                m.size(), b.data(), b.size(), &op));
    if (s.ok()) out = TakeOperation(op);
    return s;
  }
  // CANDOR_GROUP_ADD, _REMOVE, _MAKE_ADMIN (accounts), _RENAME (name), _LEAVE.
  Status ChangeGroup(const std::string& group_id, int change,
                     const std::vector<std::string>& accounts, const std::string& name,
                     const std::vector<Bytes>& bundles, GroupOperation& out) {
    std::vector<const char*> a;
    for (const std::string& x : accounts) a.push_back(x.c_str());
    std::vector<candor_buffer> b = Buffers(bundles);
    candor_group_operation op{};
    Status s = Check(candor_client_group_change(handle_.get(), group_id.c_str(), change, a.data(),
                                                a.size(), name.c_str(), b.data(), b.size(), &op));
    if (s.ok()) out = TakeOperation(op);
    return s;
  }
  Status SendGroup(const std::string& group_id, const std::string& text,
                   const std::vector<Bytes>& bundles, GroupOperation& out) {
    std::vector<candor_buffer> b = Buffers(bundles);
    candor_group_operation op{};
    Status s = Check(candor_client_group_send(handle_.get(), group_id.c_str(), text.c_str(),
                                              b.data(), b.size(), &op));
    if (s.ok()) out = TakeOperation(op);
    return s;
  }
  // Attachments from memory (docs/attachments.md): `blob` receives the
  // blob to upload with `out.UploadRequest`.
  Status SealAttachment(const Bytes& plaintext, const std::string& media_type,
                        const std::string& file_name, Bytes& blob, Attachment& out) {
    internal::Reader reader{&plaintext};
    Bytes sealed;
    candor_attachment* a = nullptr;
    Status s = Check(candor_attachment_seal(
        handle_.get(), internal::Reader::Read, &reader, plaintext.size(), internal::Write, &sealed,
        media_type.c_str(), file_name.c_str(), nullptr, 0, nullptr, nullptr, &a));
    out.handle_.reset(a);
    if (s.ok()) blob = std::move(sealed);
    return s;
  }
  Status SendWithAttachments(const std::string& peer, const std::string& text,
                             const std::vector<const Attachment*>& attachments,
                             const Bytes& bundle, int64_t& message_id, Bytes& envelope) {
    std::vector<const candor_attachment*> list;
    for (const Attachment* a : attachments) list.push_back(a->get());
    candor_buffer e{};
    Status s = Check(candor_client_send_with_attachments(
        handle_.get(), peer.c_str(), text.c_str(), list.data(), list.size(),
        bundle.empty() ? nullptr : bundle.data(), bundle.size(), &message_id, &e));
    if (s.ok()) envelope = Take(e);
    return s;
  }
  Status AttachmentsJson(int64_t message_id, std::string& json) {
    char* j = nullptr;
    Status s = Check(candor_client_attachments_json(handle_.get(), message_id, &j));
    if (s.ok()) json = Take(j);
    return s;
  }
  // `plaintext` is set only when every check passed.
  Status OpenAttachment(int64_t message_id, size_t index, const Bytes& blob, Bytes& plaintext) {
    internal::Reader reader{&blob};
    Bytes opened;
    Status s = Check(candor_client_attachment_open(handle_.get(), message_id, index,
                                                   internal::Reader::Read, &reader,
                                                   internal::Write, &opened, nullptr, nullptr));
    if (s.ok()) plaintext = std::move(opened);
    return s;
  }
  Status GroupsJson(std::string& json) {
    char* j = nullptr;
    Status s = Check(candor_client_groups_json(handle_.get(), &j));
    if (s.ok()) json = Take(j);
    return s;
  }
  Status GroupHistoryJson(const std::string& group_id, size_t limit, std::string& json) {
    char* j = nullptr;
    Status s = Check(candor_client_group_history_json(handle_.get(), group_id.c_str(), limit, &j));
    if (s.ok()) json = Take(j);
    return s;
  }

  // A peer who reinstalled (docs/identity.md): the status JSON, and the
  // user's decision; `received_json` lists the held messages received then.
  Status IdentityJson(const std::string& peer, std::string& json) {
    char* j = nullptr;
    Status s = Check(candor_client_identity_json(handle_.get(), peer.c_str(), &j));
    if (s.ok()) json = Take(j);
    return s;
  }
  // `shown_safety_number`: the new safety number the user was shown (empty:
  // not checked).
  Status AcceptIdentityChange(const std::string& peer, const std::string& shown_safety_number,
                              std::string& received_json) {
    char* j = nullptr;
    Status s = Check(candor_client_accept_identity_change(
        handle_.get(), peer.c_str(),
        shown_safety_number.empty() ? nullptr : shown_safety_number.c_str(), &j));
    if (s.ok()) received_json = Take(j);
    return s;
  }
  Status VerifyIdentity(const std::string& peer, const std::string& safety_number,
                        std::string& received_json) {
    char* j = nullptr;
    Status s = Check(candor_client_verify_identity(handle_.get(), peer.c_str(),
                                                   safety_number.c_str(), &j));
    if (s.ok()) received_json = Take(j);
    return s;
  }
  Status RejectIdentityChange(const std::string& peer) {
    return Check(candor_client_reject_identity_change(handle_.get(), peer.c_str()));
  }

 private:
  // Views of `bytes` for the C call (candor only reads them).
  static std::vector<candor_buffer> Buffers(const std::vector<Bytes>& bytes) {
    std::vector<candor_buffer> out;
    for (const Bytes& b : bytes) out.push_back(candor_buffer{const_cast<uint8_t*>(b.data()), b.size()});
    return out;
  }
  static GroupOperation TakeOperation(candor_group_operation& op) {
    GroupOperation out;
    out.group_id = op.group_id != nullptr ? op.group_id : "";
    out.message_id = op.message_id;
    for (size_t i = 0; i < op.envelope_count; ++i) {
      out.envelopes.emplace_back(op.envelopes[i].data, op.envelopes[i].data + op.envelopes[i].size);
    }
    if (op.group_envelope.data != nullptr) {
      out.group_envelope.assign(op.group_envelope.data,
                                op.group_envelope.data + op.group_envelope.size);
    }
    candor_group_operation_free(&op);
    return out;
  }
  struct Free {
    void operator()(candor_client* c) const { candor_client_free(c); }
  };
  std::unique_ptr<candor_client, Free> handle_;
};

inline Status Relay(const uint8_t (&relay_key)[CANDOR_KEY_BYTES], const Bytes& envelope,
                    uint64_t server_time, Bytes& delivery, Bytes& ack) {
  candor_buffer d{}, a{};
  Status s = Check(candor_relay(relay_key, envelope.data(), envelope.size(), server_time, &d, &a));
  if (s.ok()) {
    delivery = Take(d);
    ack = Take(a);
  }
  return s;
}

// The reference relay's group fan-out: (recipient, delivery) pairs and
// the sender's acknowledgement.
inline Status RelayGroup(const uint8_t (&relay_key)[CANDOR_KEY_BYTES], const Bytes& group_envelope,
                         uint64_t server_time,
                         std::vector<std::pair<std::string, Bytes>>& deliveries, Bytes& ack) {
  candor_relayed_group r{};
  Status s = Check(candor_relay_group(relay_key, group_envelope.data(), group_envelope.size(),
                                      server_time, &r));
  if (s.ok()) {
    deliveries.clear();
    for (size_t i = 0; i < r.count; ++i) {
      deliveries.emplace_back(r.recipients[i], Bytes(r.deliveries[i].data,
                                                     r.deliveries[i].data + r.deliveries[i].size));
    }
    ack.assign(r.ack.data, r.ack.data + r.ack.size);
    candor_relayed_group_free(&r);
  }
  return s;
}

inline Status Moderate(const uint8_t (&moderator_secret)[CANDOR_KEY_BYTES],
                       const uint8_t (&relay_key)[CANDOR_KEY_BYTES], const Bytes& sealed,
                       std::string& verdict_json) {
  char* v = nullptr;
  Status s = Check(candor_moderate_json(moderator_secret, relay_key, sealed.data(), sealed.size(), &v));
  if (s.ok()) verdict_json = Take(v);
  return s;
}

}  // namespace candor::abi

#endif  // CANDOR_CANDOR_HPP_
