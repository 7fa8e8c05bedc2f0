// report prepare, report submit, reports (the user's side) and moderate
// (the moderation service's side).
#include <filesystem>

#include "candor/attachment/blob_store.h"
#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/protocol/report_wire.h"
#include "candor/report/verifier.h"
#include "commands.h"
#include "commands_attachment.h"
#include "device.h"
#include "files.h"
#include "key_files.h"
#include "candor/protocol/json.h"

namespace candor::cli {

using protocol::JsonArray;
using protocol::JsonObject;

Result<std::string> RunReportPrepare(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> id, args.FindUInt("message"));
  if (*id == 0 || *id > static_cast<uint64_t>(INT64_MAX)) {
    return UsageError("--message must be a message id from candor history");
  }
  auto reason = protocol::ParseReportReason(args.Get("reason"));
  if (!reason.has_value()) return UsageError("--reason: " + reason.error().message());
  if (args.Has("with") == args.Has("group")) {
    return UsageError("give exactly one of --with and --group");
  }
  std::optional<crypto::GroupId> group;
  if (args.Has("group")) {
    auto g = client::GroupIdFromHex(args.Get("group"));
    if (!g.has_value()) return UsageError("--group: " + g.error().message());
    group = *g;
  }
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(
      protocol::ReportPreview preview,
      group ? device.PrepareGroupReport(*group, static_cast<int64_t>(*id), *reason)
            : device.PrepareReport(args.Get("with"), static_cast<int64_t>(*id), *reason));
  CANDOR_ASSIGN_OR_RETURN(std::string pretty, protocol::ReportPreviewToJson(preview, true));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("out"), AsBytes(pretty)));
  return protocol::ReportPreviewToJson(preview, false);
}

Result<std::string> RunReportSubmit(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(Bytes json, ReadInputFile(args.Get("preview"), kMaxReportPreviewBytes));
  CANDOR_ASSIGN_OR_RETURN(
      protocol::ReportPreview preview,
      protocol::ReportPreviewFromJson(std::string_view(reinterpret_cast<const char*>(json.data()), json.size())));
  CANDOR_ASSIGN_OR_RETURN(ModeratorPublicKeys moderator, ReadModeratorPublicFile(args.Get("moderator")));
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  CANDOR_ASSIGN_OR_RETURN(client::SubmittedReport r, device.SubmitReport(preview, moderator.report_key));
  auto written = WriteOutputFile(args.Get("out"), r.report.bytes);
  if (!written.has_value()) {
    return Error(written.error().code(), "report " + std::to_string(r.report_id) +
                                             " is logged, but its file was not written: " +
                                             written.error().message());
  }
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return JsonObject()
      .Int("report_id", r.report_id)
      .UInt("messages", r.message_count)
      .UInt("sealed_bytes", r.report.bytes.size())
      .Finish();
}

Result<std::string> RunReports(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(auto records, device.Reports());
  std::vector<std::string> items;
  for (const protocol::ReportRecord& r : records) {
    items.push_back(JsonObject()
                        .Int("report_id", r.id)
                        .Str("reported", r.peer)
                        .Str("reason", r.reason)
                        .UInt("created_at", r.created_at)
                        .UInt("messages", r.message_count)
                        .Str("moderator_key", ToHex(r.moderator_key))
                        .UInt("sealed_bytes", r.sealed.size())
                        .OptUInt("content_expires_at", r.content_expires_at)
                        .Bool("content_purged", r.content_purged)
                        // Gone with the messages it showed: null, not "".
                        .Raw("preview", r.content_purged ? "null" : r.preview)
                        .Finish());
  }
  return JsonObject().Raw("reports", JsonArray(items)).Finish();
}

Result<std::string> RunReportDelete(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> id, args.FindUInt("id"));
  if (!id || *id == 0 || *id > static_cast<uint64_t>(INT64_MAX)) {
    return UsageError("--id must be a report id from candor reports");
  }
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_RETURN_IF_ERROR(device.DeleteReport(static_cast<int64_t>(*id)));
  return JsonObject().UInt("report_id", *id).Bool("deleted", true).Finish();
}

Result<std::string> RunModerate(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(ModeratorKeys moderator, ReadModeratorSecretFile(args.Get("key")));
  CANDOR_ASSIGN_OR_RETURN(crypto::RelayKey relay_key, ReadRelayKeyFile(args.Get("relay-key")));
  CANDOR_ASSIGN_OR_RETURN(Bytes sealed, ReadInputFile(args.Get("in"), kMaxReportSealedBytes));
  // Sealed messages are judged with the directory's key and the service's
  // token keys; without them they come out unverifiable.
  std::optional<report::SealedModerationKeys> sealed_keys;
  if (auto dir = args.Find("directory")) {
    if (!moderator.token_signing || !moderator.token_key) {
      return Error(Errc::kInvalidEncoding,
                   args.Get("key") + " is a moderator key from before sealed sender (v1): it "
                                     "cannot open moderation tokens");
    }
    CANDOR_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey directory, ReadDirectoryPublicFile(*dir));
    sealed_keys = report::SealedModerationKeys{directory, moderator.token_signing->public_key(),
                                               std::move(*moderator.token_key)};
  }
  const report::Verifier verifier(std::move(moderator.report_key), std::move(relay_key),
                                  std::move(sealed_keys));
  if (!args.Has("blobs")) {
    if (args.Has("save-dir")) return UsageError("--save-dir needs --blobs STORE_DIR");
    CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport report, verifier.Verify(sealed));
    return report::VerifiedReportToJson(report);
  }
  // The moderator fetches each blob from the store (as "moderation").
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> time, args.FindUInt("time"));
  const uint64_t now = time.value_or(CliClock().NowSeconds());
  CANDOR_ASSIGN_OR_RETURN(attachment::BlobStore store, OpenBlobStore(args, "blobs", false));
  report::AttachmentAccess access;
  access.fetch = [&store, now](const attachment::BlobId& id) {
    return store.Get(id, "moderation", now);
  };
  if (auto dir = args.Find("save-dir")) {
    CANDOR_RETURN_IF_ERROR(CreatePrivateDirectory(*dir, "--save-dir"));
    access.save_dir = *dir;
  }
  CANDOR_ASSIGN_OR_RETURN(report::VerifiedReport report, verifier.Verify(sealed, &access));
  return report::VerifiedReportToJson(report);
}

}  // namespace candor::cli
