// The C ABI's attachments (include/candor/candor.h "Attachments"): sealing
// from a reader callback into a writer callback, the upload and fetch
// requests, sending with attachments, and opening a fetched blob.
#include <cstring>
#include <optional>
#include <vector>

#include "candor/attachment/blob.h"
#include "capi_internal.h"

namespace {

using candor::Errc;
using candor::Error;
using candor::Result;
using candor::capi::Call;
using candor::capi::CopyString;
using candor::capi::Fill;
using candor::capi::GroupFrom;
using candor::capi::BundlesFrom;
using candor::capi::GroupOperation;
using candor::capi::Need;

// The C callbacks as a Source and a Sink; a failing callback is an error
// that names the side, never a crash.
class CallbackSource final : public candor::attachment::Source {
 public:
  CallbackSource(candor_read_fn read, void* context) : read_(read), context_(context) {}
  Result<size_t> Read(std::span<uint8_t> buffer) override {
    const int64_t n = read_(context_, buffer.data(), buffer.size());
    if (n < 0 || static_cast<uint64_t>(n) > buffer.size()) {
      return Error(Errc::kStorageFailed, "the reader callback failed");
    }
    return static_cast<size_t>(n);
  }

 private:
  candor_read_fn read_;
  void* context_;
};

class CallbackSink final : public candor::attachment::Sink {
 public:
  CallbackSink(candor_write_fn write, void* context) : write_(write), context_(context) {}
  Result<void> Write(candor::ByteView bytes) override {
    if (write_(context_, bytes.data(), bytes.size()) != 0) {
      return Error(Errc::kStorageFailed, "the writer callback failed");
    }
    return candor::Ok();
  }

 private:
  candor_write_fn write_;
  void* context_;
};

candor::attachment::Progress TransferFrom(candor_transfer_fn progress, void* context) {
  if (progress == nullptr) return {};
  return [progress, context](uint64_t done, uint64_t total) {
    return progress(context, done, total) != 0;
  };
}

Result<std::vector<const candor::client::SealedAttachment*>> AttachmentsFrom(
    const candor_attachment* const* attachments, size_t count) {
  CANDOR_RETURN_IF_ERROR(Need(attachments != nullptr || count == 0, "attachment count without attachments"));
  std::vector<const candor::client::SealedAttachment*> out;
  for (size_t i = 0; i < count; ++i) {
    CANDOR_RETURN_IF_ERROR(Need(attachments[i] != nullptr, "null attachment"));
    out.push_back(&attachments[i]->sealed);
  }
  return out;
}

// Send takes a span of attachments; the C caller keeps its handles, so the
// send works on clones of the pointers they hold.
Result<std::vector<candor::client::SealedAttachment>> Copies(
    const std::vector<const candor::client::SealedAttachment*>& list) {
  std::vector<candor::client::SealedAttachment> out;
  out.reserve(list.size());
  for (const auto* a : list) out.push_back(a->Clone());
  return out;
}

// A one-to-one send with attachments, sealed or not (never "as configured":
// the C caller says which).
int SendWith(candor_client* client, const char* peer, const char* text,
             const candor_attachment* const* attachments, size_t attachment_count,
             const uint8_t* bundle, size_t bundle_size, int64_t* message_id,
             candor_buffer* envelope, candor::client::Sealing sealing) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && peer && text && message_id && envelope, "null argument"));
    // Cleared first: on any error the caller holds nothing to free.
    *envelope = candor_buffer{};
    *message_id = 0;
    CANDOR_RETURN_IF_ERROR(Need(bundle != nullptr || bundle_size == 0, "bundle size without bundle"));
    CANDOR_ASSIGN_OR_RETURN(auto list, AttachmentsFrom(attachments, attachment_count));
    CANDOR_ASSIGN_OR_RETURN(auto copies, Copies(list));
    std::optional<candor::ByteView> b;
    if (bundle != nullptr) b = candor::ByteView(bundle, bundle_size);
    CANDOR_ASSIGN_OR_RETURN(auto sent, client->client.Send(peer, text, copies, b, sealing));
    Fill(envelope, sent.envelope.bytes);
    *message_id = sent.message_id;
    return candor::Ok();
  });
}

}  // namespace

extern "C" {

int candor_attachment_seal(candor_client* client, candor_read_fn read, void* read_context,
                           uint64_t length, candor_write_fn write, void* write_context,
                           const char* media_type, const char* file_name,
                           const uint8_t* thumbnail, size_t thumbnail_size,
                           candor_transfer_fn progress, void* progress_context,
                           candor_attachment** out) {
  if (out != nullptr) *out = nullptr;
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && read && write && out, "null argument"));
    CANDOR_RETURN_IF_ERROR(Need(thumbnail != nullptr || thumbnail_size == 0, "thumbnail size without thumbnail"));
    CallbackSource source(read, read_context);
    CallbackSink sink(write, write_context);
    candor::client::AttachmentMeta meta;
    if (media_type != nullptr) meta.media_type = media_type;
    if (file_name != nullptr) meta.file_name = file_name;
    if (thumbnail != nullptr) meta.thumbnail.assign(thumbnail, thumbnail + thumbnail_size);
    CANDOR_ASSIGN_OR_RETURN(auto sealed,
                            client->client.SealAttachment(source, length, sink, meta,
                                                          TransferFrom(progress, progress_context)));
    *out = new candor_attachment{std::move(sealed)};
    return candor::Ok();
  });
}

void candor_attachment_free(candor_attachment* attachment) { delete attachment; }

void candor_attachment_blob_id(const candor_attachment* attachment, uint8_t id[32]) {
  if (id == nullptr) return;
  if (attachment == nullptr) {
    std::memset(id, 0, 32);
    return;
  }
  std::memcpy(id, attachment->sealed.blob_id().data(), 32);
}

uint64_t candor_attachment_blob_size(const candor_attachment* attachment) {
  return attachment == nullptr ? 0 : attachment->sealed.blob_size();
}

int candor_attachment_upload_request(const candor_attachment* attachment, candor_buffer* request) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(attachment && request, "null argument"));
    Fill(request, attachment->sealed.upload().bytes);
    return candor::Ok();
  });
}

int candor_client_send_with_attachments(candor_client* client, const char* peer, const char* text,
                                        const candor_attachment* const* attachments,
                                        size_t attachment_count, const uint8_t* bundle,
                                        size_t bundle_size, int64_t* message_id,
                                        candor_buffer* envelope) {
  return SendWith(client, peer, text, attachments, attachment_count, bundle, bundle_size,
                  message_id, envelope, candor::client::Sealing::kUnsealed);
}

int candor_client_send_sealed(candor_client* client, const char* peer, const char* text,
                              const candor_attachment* const* attachments, size_t attachment_count,
                              const uint8_t* bundle, size_t bundle_size, int64_t* message_id,
                              candor_buffer* envelope) {
  return SendWith(client, peer, text, attachments, attachment_count, bundle, bundle_size,
                  message_id, envelope, candor::client::Sealing::kSealed);
}

int candor_client_group_send_with_attachments(candor_client* client, const char* group_id,
                                              const char* text,
                                              const candor_attachment* const* attachments,
                                              size_t attachment_count,
                                              const candor_buffer* bundles, size_t bundle_count,
                                              candor_group_operation* out) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && text, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto g, GroupFrom(group_id));
    CANDOR_ASSIGN_OR_RETURN(auto b, BundlesFrom(bundles, bundle_count));
    CANDOR_ASSIGN_OR_RETURN(auto list, AttachmentsFrom(attachments, attachment_count));
    CANDOR_ASSIGN_OR_RETURN(auto copies, Copies(list));
    return GroupOperation(out, [&] { return client->client.SendGroup(g, text, copies, b); });
  });
}

int candor_client_attachments_json(candor_client* client, int64_t message_id, char** json) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && json, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto list, client->client.Attachments(message_id));
    *json = CopyString(candor::client::AttachmentsToJson(list));
    return candor::Ok();
  });
}

int candor_client_attachment_thumbnail(candor_client* client, int64_t message_id, size_t index,
                                       candor_buffer* thumbnail) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && thumbnail, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto list, client->client.Attachments(message_id));
    CANDOR_RETURN_IF_ERROR(Need(index < list.size(), "the message has no such attachment"));
    Fill(thumbnail, list[index].thumbnail);
    return candor::Ok();
  });
}

int candor_client_attachment_fetch_request(candor_client* client, int64_t message_id, size_t index,
                                           candor_buffer* request) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && request, "null argument"));
    CANDOR_ASSIGN_OR_RETURN(auto item, client->client.FetchAttachment(message_id, index));
    Fill(request, item.bytes);
    return candor::Ok();
  });
}

int candor_client_attachment_open(candor_client* client, int64_t message_id, size_t index,
                                  candor_read_fn read, void* read_context, candor_write_fn write,
                                  void* write_context, candor_transfer_fn progress,
                                  void* progress_context) {
  return Call([&]() -> Result<void> {
    CANDOR_RETURN_IF_ERROR(Need(client && read && write, "null argument"));
    CallbackSource source(read, read_context);
    CallbackSink sink(write, write_context);
    return client->client.OpenAttachment(message_id, index, source, sink,
                                         TransferFrom(progress, progress_context));
  });
}

}  // extern "C"
