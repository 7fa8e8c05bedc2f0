// Attachments (DESIGN.md "Attachments"): sealing a blob and sending the
// message that points at it, and opening a received one. The key never
// leaves the client: SealedAttachment holds it until Send puts it into the
// message's content (inside the franking commitment), and OpenAttachment
// reads it back from the stored message.
#include "candor/attachment/blob.h"
#include "candor/client/client.h"
#include "candor/protocol/blob_wire.h"
#include "candor/protocol/content.h"
#include "client_state.h"

namespace candor::client {

uint64_t SealedAttachment::blob_size() const { return attachment::BlobSize(pointer_.length); }

namespace {

Result<Bytes> EncodeWithAttachments(std::string_view text,
                                    std::span<const SealedAttachment> attachments,
                                    const std::function<protocol::AttachmentPointer(
                                        const SealedAttachment&)>& pointer_of) {
  protocol::MessageContent content;
  content.text = std::string(text);
  for (const SealedAttachment& a : attachments) content.attachments.push_back(pointer_of(a));
  auto encoded = protocol::EncodeContent(content);
  return encoded;
}

}  // namespace

Result<SealedAttachment> Client::SealAttachment(attachment::Source& plaintext, uint64_t length,
                                                attachment::Sink& blob, const AttachmentMeta& meta,
                                                const attachment::Progress& progress) {
  // The metadata's rules first: a refused file name should not cost a
  // 2 GiB encryption.
  protocol::AttachmentPointer pointer;
  pointer.length = length;
  pointer.media_type = meta.media_type;
  pointer.file_name = meta.file_name;
  pointer.thumbnail = meta.thumbnail;
  {
    protocol::MessageContent probe;
    probe.attachments.push_back(pointer.Clone());
    CANDOR_RETURN_IF_ERROR(protocol::EncodeContent(probe));
  }
  CANDOR_ASSIGN_OR_RETURN(attachment::SealedBlob sealed,
                          attachment::EncryptBlob(plaintext, length, blob, state_->rng, progress));
  pointer.blob_id = sealed.blob_id;
  pointer.key = std::move(sealed.key);
  pointer.digest = sealed.digest;
  CANDOR_ASSIGN_OR_RETURN(Bytes request,
                          protocol::EncodeBlobUpload({sealed.blob_id, sealed.blob_size}));
  CANDOR_ASSIGN_OR_RETURN(OutgoingItem upload,
                          Emit(Channel::kBlobStore, protocol::kBlobUploadType, std::move(request)));
  return SealedAttachment(std::move(pointer), std::move(upload));
}

Result<SentMessage> Client::Send(std::string_view peer, std::string_view text,
                                 std::span<const SealedAttachment> attachments,
                                 std::optional<ByteView> bundle, Sealing sealing) {
  CANDOR_ASSIGN_OR_RETURN(Bytes content,
                          EncodeWithAttachments(text, attachments, [](const SealedAttachment& a) {
                            return a.pointer_.Clone();
                          }));
  return SendContent(peer, content, bundle, sealing);
}

Result<GroupOperation> Client::SendGroup(const crypto::GroupId& group, std::string_view text,
                                         std::span<const SealedAttachment> attachments,
                                         const Bundles& bundles) {
  CANDOR_ASSIGN_OR_RETURN(Bytes content,
                          EncodeWithAttachments(text, attachments, [](const SealedAttachment& a) {
                            return a.pointer_.Clone();
                          }));
  return SendGroupContent(group, content, bundles);
}

namespace {

Result<protocol::AttachmentPointer> PointerOf(storage::Store& store, int64_t message_id,
                                              size_t index, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(auto stored, store.MessageById(message_id, now));
  if (!stored) return Error(Errc::kNotFound, "no such message (or it expired)");
  CANDOR_ASSIGN_OR_RETURN(protocol::MessageContent content, protocol::DecodeContent(stored->content));
  if (index >= content.attachments.size()) {
    return Error(Errc::kInvalidArgument, "the message has no attachment " + std::to_string(index) +
                                             " (it has " +
                                             std::to_string(content.attachments.size()) + ")");
  }
  return std::move(content.attachments[index]);
}

}  // namespace

Result<std::vector<protocol::AttachmentInfo>> Client::Attachments(int64_t message_id) {
  CANDOR_ASSIGN_OR_RETURN(auto stored, state_->store.MessageById(message_id, state_->clock.NowSeconds()));
  if (!stored) return Error(Errc::kNotFound, "no such message (or it expired)");
  return protocol::DescribeAttachments(stored->content);
}

Result<OutgoingItem> Client::FetchAttachment(int64_t message_id, size_t index) {
  CANDOR_ASSIGN_OR_RETURN(protocol::AttachmentPointer pointer,
                          PointerOf(state_->store, message_id, index, state_->clock.NowSeconds()));
  return Emit(Channel::kBlobStore, protocol::kBlobFetchType,
              protocol::EncodeBlobFetch(pointer.blob_id));
}

Result<void> Client::OpenAttachment(int64_t message_id, size_t index, attachment::Source& blob,
                                    attachment::Sink& plaintext,
                                    const attachment::Progress& progress) {
  CANDOR_ASSIGN_OR_RETURN(protocol::AttachmentPointer pointer,
                          PointerOf(state_->store, message_id, index, state_->clock.NowSeconds()));
  return attachment::DecryptBlob(
      blob, attachment::BlobKey{pointer.blob_id, std::move(pointer.key), pointer.length, pointer.digest},
      plaintext, progress);
}

}  // namespace candor::client
