// send --attach, receive --attachments-dir, attachment save, blob put|get|expire.
#include "commands_attachment.h"

#include <unistd.h>

#include <filesystem>

#include "candor/attachment/blob_store.h"
#include "candor/attachment/file_io.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/protocol/blob_wire.h"
#include "commands.h"
#include "device.h"

namespace candor::cli {

namespace fs = std::filesystem;
using protocol::JsonObject;

namespace {

// A media type from the file's extension, for the recipient's display
// only (nothing is parsed); unknown ones are sent as no type.
std::string MediaTypeOf(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, const char*> kTypes[] = {
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
      {".gif", "image/gif"},  {".webp", "image/webp"}, {".heic", "image/heic"},
      {".mp4", "video/mp4"},  {".mov", "video/quicktime"}, {".webm", "video/webm"},
      {".mp3", "audio/mpeg"}, {".m4a", "audio/mp4"},  {".ogg", "audio/ogg"},
      {".pdf", "application/pdf"}, {".txt", "text/plain"}, {".zip", "application/zip"}};
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return {};
}

Result<attachment::BlobId> BlobIdFromHex(std::string_view hex, std::string_view flag) {
  auto bytes = FromHex(hex);
  if (!bytes.has_value() || bytes->size() != 32) {
    return UsageError(std::string(flag) + " needs a blob id: 64 hex digits");
  }
  attachment::BlobId id{};
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

Result<uint64_t> TimeFlag(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> time, args.FindUInt("time"));
  if (time && *time == 0) return UsageError("--time must be positive");
  return time.value_or(CliClock().NowSeconds());
}

}  // namespace

// Only `blob put` creates a store: a reader's typo must not look like an
// empty store (every blob "unavailable").
Result<attachment::BlobStore> OpenBlobStore(const Args& args, std::string_view flag, bool create) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> days, args.FindUInt("retention-days"));
  if (days && (*days == 0 || *days > 3650)) return UsageError("--retention-days must be 1..3650");
  return attachment::BlobStore::Open(args.Get(flag),
                                     days ? *days * 86400 : kDefaultBlobRetentionSeconds, create);
}

Result<void> CreatePrivateDirectory(const std::string& dir, std::string_view flag) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    // 0700: the names of what is saved there are the user's business.
    if (!ec) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (ec || !fs::is_directory(dir, ec)) {
    return Error(Errc::kStorageFailed, std::string(flag) + ": cannot create directory " + dir);
  }
  return Ok();
}

namespace {

// Fetches and opens one attachment into a new file `path` (kept only when
// every check passed).
Result<void> SaveOne(client::Client& device, attachment::BlobStore& store, int64_t message_id,
                     size_t index, const attachment::BlobId& id, const std::string& path,
                     uint64_t now) {
  // The request the device would send the store (the egress log has it).
  CANDOR_RETURN_IF_ERROR(device.FetchAttachment(message_id, index));
  CANDOR_ASSIGN_OR_RETURN(std::unique_ptr<attachment::Source> blob,
                          store.Get(id, device.account(), now));
  CANDOR_ASSIGN_OR_RETURN(auto file, attachment::AtomicFileSink::Create(path));
  CANDOR_RETURN_IF_ERROR(device.OpenAttachment(message_id, index, *blob, *file));
  return file->Commit();
}

std::string SavedName(int64_t message_id, size_t index, const protocol::AttachmentInfo& a) {
  return std::to_string(message_id) + "-" + std::to_string(index + 1) + "-" +
         (a.file_name.empty() ? ToHex(a.blob_id) : a.file_name);
}

}  // namespace

Result<std::vector<client::SealedAttachment>> SealAttachFlags(client::Client& device,
                                                              const Args& args) {
  std::vector<client::SealedAttachment> sealed;
  const std::vector<std::string> files = args.All("attach");
  if (files.empty()) return sealed;
  if (!args.Has("blob-dir")) return UsageError("--attach needs --blob-dir DIR for the blobs");
  if (files.size() > kMaxAttachmentsPerMessage) {
    return UsageError("at most " + std::to_string(kMaxAttachmentsPerMessage) +
                      " --attach per message");
  }
  const fs::path dir = args.Get("blob-dir");
  CANDOR_RETURN_IF_ERROR(CreatePrivateDirectory(dir.string(), "--blob-dir"));
  std::error_code ec;
  for (const std::string& file : files) {
    CANDOR_ASSIGN_OR_RETURN(auto source, attachment::FileSource::Open(file));
    client::AttachmentMeta meta;
    meta.media_type = MediaTypeOf(file);
    meta.file_name = fs::path(file).filename().string();
    // The blob's name is known only at the end: a temporary name first.
    // Unique per process, so two sends into one directory cannot swap blobs.
    const fs::path staging =
        dir / ("sealing-" + std::to_string(::getpid()) + "-" + std::to_string(sealed.size()) + ".blob");
    CANDOR_ASSIGN_OR_RETURN(auto blob, attachment::AtomicFileSink::Create(staging.string(), true));
    auto one = device.SealAttachment(*source, source->size(), *blob, meta);
    if (!one.has_value()) {
      return Error(one.error().code(), "--attach " + file + ": " + one.error().message());
    }
    const fs::path named = dir / (ToHex(one->blob_id()) + ".blob");
    CANDOR_RETURN_IF_ERROR(blob->Commit());
    fs::rename(staging, named, ec);
    if (ec) return Error(Errc::kStorageFailed, "cannot name the blob " + named.string());
    sealed.push_back(std::move(*one));
  }
  return sealed;
}

std::string SealedJson(const std::vector<client::SealedAttachment>& sealed, const Args& args) {
  std::vector<std::string> out;
  for (const client::SealedAttachment& a : sealed) {
    const protocol::AttachmentInfo info = a.info();
    out.push_back(JsonObject()
                      .Str("blob_id", ToHex(info.blob_id))
                      .Str("blob_file", (fs::path(args.Get("blob-dir")) /
                                         (ToHex(info.blob_id) + ".blob")).string())
                      .UInt("length", info.length)
                      .UInt("blob_size", info.blob_size)
                      .Str("media_type", info.media_type)
                      .Str("file_name", info.file_name)
                      .Finish());
  }
  return protocol::JsonArray(out);
}

Result<std::string> SaveReceivedAttachments(client::Client& device, const Args& args,
                                            int64_t message_id,
                                            const std::vector<protocol::AttachmentInfo>& list) {
  if (!args.Has("attachments-dir")) return client::AttachmentsToJson(list);
  if (!args.Has("blob-store")) {
    return UsageError("--attachments-dir needs --blob-store DIR to fetch the blobs from");
  }
  auto opened = OpenBlobStore(args, "blob-store", false);
  if (!opened.has_value()) {
    return Error(opened.error().code(), "message " + std::to_string(message_id) +
                                            " is stored, but its attachments were not saved: " +
                                            opened.error().message());
  }
  attachment::BlobStore& store = *opened;
  const fs::path dir = args.Get("attachments-dir");
  CANDOR_RETURN_IF_ERROR(CreatePrivateDirectory(dir.string(), "--attachments-dir"));
  const uint64_t now = CliClock().NowSeconds();
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string name = SavedName(message_id, i, list[i]);
    auto saved = SaveOne(device, store, message_id, i, list[i].blob_id, (dir / name).string(), now);
    if (!saved.has_value()) {
      return Error(saved.error().code(),
                   "message " + std::to_string(message_id) + " is stored, but attachment " +
                       std::to_string(i + 1) + " was not saved (nothing was written for it; " +
                       "`candor attachment save` retries): " + saved.error().message());
    }
    out.push_back(JsonObject()
                      .Str("blob_id", ToHex(list[i].blob_id))
                      .UInt("length", list[i].length)
                      .Str("media_type", list[i].media_type)
                      .Str("file_name", list[i].file_name)
                      .Str("saved_as", (dir / name).string())
                      .Finish());
  }
  return protocol::JsonArray(out);
}

Result<std::string> RunAttachmentSave(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> message, args.FindUInt("message"));
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> index, args.FindUInt("index"));
  if (!message || *message == 0 || *message > INT64_MAX) return UsageError("--message needs a message id");
  const size_t n = index.value_or(1);
  if (n == 0 || n > kMaxAttachmentsPerMessage) {
    return UsageError("--index counts from 1 to " + std::to_string(kMaxAttachmentsPerMessage));
  }
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobStore store, OpenBlobStore(args, "blob-store", false));
  const auto id = static_cast<int64_t>(*message);
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem request, device.FetchAttachment(id, n - 1));
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobId blob_id, protocol::DecodeBlobFetch(request.bytes));
  CANDOR_RETURN_IF_ERROR(
      SaveOne(device, store, id, n - 1, blob_id, args.Get("out"), CliClock().NowSeconds()));
  return JsonObject()
      .Int("message_id", id)
      .UInt("index", n)
      .Str("blob_id", ToHex(blob_id))
      .Str("saved_as", args.Get("out"))
      .Finish();
}

Result<std::string> RunBlobPut(const Args& args) {
  const fs::path file = args.Get("in");
  const std::string stem = file.stem().string();
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobId id,
                          BlobIdFromHex(args.Find("id").value_or(stem),
                                        args.Has("id") ? "--id" : "--in's file name (<id>.blob)"));
  CANDOR_ASSIGN_OR_RETURN(uint64_t now, TimeFlag(args));
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobStore store, OpenBlobStore(args, "store", true));
  CANDOR_ASSIGN_OR_RETURN(auto source, attachment::FileSource::Open(file.string()));
  CANDOR_RETURN_IF_ERROR(
      store.Put(id, source->size(), *source, args.Find("from").value_or(""), now));
  return JsonObject()
      .Str("blob_id", ToHex(id))
      .UInt("blob_size", source->size())
      .UInt("uploaded_at", now)
      .UInt("expires_at", now + store.retention_seconds())
      .Finish();
}

Result<std::string> RunBlobGet(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobId id, BlobIdFromHex(args.Get("id"), "--id"));
  CANDOR_ASSIGN_OR_RETURN(uint64_t now, TimeFlag(args));
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobStore store, OpenBlobStore(args, "store", false));
  CANDOR_ASSIGN_OR_RETURN(auto blob, store.Get(id, args.Find("as").value_or(""), now));
  CANDOR_ASSIGN_OR_RETURN(auto out, attachment::AtomicFileSink::Create(args.Get("out"), true));
  Bytes buffer(kBlobChunkBytes);
  uint64_t total = 0;
  for (;;) {
    CANDOR_ASSIGN_OR_RETURN(size_t n, blob->Read(buffer));
    if (n == 0) break;
    total += n;
    CANDOR_RETURN_IF_ERROR(out->Write(ByteView(buffer.data(), n)));
  }
  CANDOR_RETURN_IF_ERROR(out->Commit());
  return JsonObject().Str("blob_id", ToHex(id)).UInt("blob_size", total).Finish();
}

Result<std::string> RunBlobExpire(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(uint64_t now, TimeFlag(args));
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobStore store, OpenBlobStore(args, "store", false));
  CANDOR_ASSIGN_OR_RETURN(size_t expired, store.Expire(now));
  return JsonObject().UInt("expired", expired).Finish();
}

}  // namespace candor::cli
