// init, bundle, send, receive, ack, history, search, fingerprint, rotate-prekey, timer,
// purge: one device's side (send --group and history --group: commands_group.cc).
#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/protocol/wire.h"
#include "commands.h"
#include "commands_attachment.h"
#include "commands_group.h"
#include "device.h"
#include "files.h"
#include "candor/protocol/json.h"
#include "store_key.h"

namespace candor::cli {

using protocol::JsonObject;

client::Clock& CliClock() {
  static client::SystemClock clock;
  return clock;
}

Result<client::Client> OpenDevice(const std::string& db_path, EgressLog* egress_log) {
  CANDOR_ASSIGN_OR_RETURN(storage::StoreKey key, StoreKeyFromEnvironment());
  client::ClientOptions options;
  if (egress_log != nullptr) options.egress_observer = egress_log->Observer();
  return client::Client::Open(db_path, key, crypto::SystemRandom(), CliClock(), options);
}

namespace {

// The default page of `candor history`.
constexpr uint64_t kDefaultHistoryLimit = 50;

// Written after the store committed: say so, because the message exists.
Error NotWritten(const Error& error, int64_t message_id) {
  return Error(error.code(), "message " + std::to_string(message_id) +
                                 " is stored, but its envelope was not written: " +
                                 error.message());
}

// The text to send: --text-file keeps it off the command line, where every
// local user can read it (/proc/*/cmdline); --text stays for scripts that
// accept that. The file's bytes are the message exactly (no newline is
// stripped), so what is sent is what the file holds.
Result<std::string> MessageText(const Args& args) {
  const auto file = args.Find("text-file");
  if (file && args.Has("text")) {
    return UsageError("give one of --text-file FILE|- and --text TEXT, not both");
  }
  // With attachments the text is optional.
  if (!file && !args.Has("text")) {
    if (args.Has("attach")) return std::string();
    return UsageError("give exactly one of --text-file FILE|- and --text TEXT (or --attach)");
  }
  if (!file) return args.Get("text");
  auto bytes = ReadInputFile(*file, kMaxContentBytes);
  if (!bytes.has_value()) {
    return Error(bytes.error().code(), "--text-file: " + bytes.error().message());
  }
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

Result<std::string> RunInit(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(storage::StoreKey key, StoreKeyFromEnvironment());
  CANDOR_ASSIGN_OR_RETURN(client::Client device,
                          client::Client::Create(args.Get("db"), key, args.Get("account"),
                                                 crypto::SystemRandom(), CliClock()));
  CANDOR_ASSIGN_OR_RETURN(std::string fingerprint, device.IdentityFingerprint());
  return JsonObject()
      .Str("account", device.account())
      .Str("identity_key", ToHex(device.identity_key().bytes()))
      .Str("fingerprint", fingerprint)
      .Finish();
}

Result<std::string> RunBundle(const Args& args) {
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem item, device.PublishBundle());
  CANDOR_ASSIGN_OR_RETURN(crypto::PrekeyBundle bundle, protocol::DecodePrekeyBundle(item.bytes));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("out"), item.bytes));
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return JsonObject()
      .Str("account", bundle.account)
      .Str("identity_key", ToHex(bundle.identity_key.bytes()))
      .UInt("signed_prekey_id", bundle.signed_prekey_id)
      .UInt("one_time_prekey_id", bundle.one_time_prekey_id.value_or(0))
      .UInt("pq_signed_prekey_id", bundle.pq_signed_prekey ? bundle.pq_signed_prekey->id : 0)
      .UInt("pq_one_time_prekey_id",
            bundle.pq_one_time_prekey ? bundle.pq_one_time_prekey->id : 0)
      .UInt("bundle_bytes", item.bytes.size())
      .Finish();
}

Result<std::string> RunSend(const Args& args) {
  if (args.Has("to") == args.Has("group")) return UsageError("give exactly one of --to and --group");
  CANDOR_ASSIGN_OR_RETURN(std::string text, MessageText(args));
  if (args.Has("group")) {
    if (args.Has("sealed")) {
      return UsageError("--sealed is for one-to-one messages: candor sends group messages "
                        "unsealed (docs/sealed-sender.md)");
    }
    return SendToGroup(args, text);
  }
  if (!args.Has("out") || args.Has("out-dir") || args.Has("bundles")) {
    return UsageError("send --to writes --out FILE|- (not --out-dir), and takes --bundle FILE|-");
  }
  std::optional<Bytes> bundle;
  if (auto path = args.Find("bundle")) {
    CANDOR_ASSIGN_OR_RETURN(bundle, ReadInputFile(*path, kMaxPrekeyBundleBytes));
  }
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  std::optional<ByteView> bundle_view;
  if (bundle) bundle_view = ByteView(*bundle);
  CANDOR_ASSIGN_OR_RETURN(std::vector<client::SealedAttachment> attachments,
                          SealAttachFlags(device, args));
  // --sealed or nothing: never an unsealed send when sealed was asked for.
  const client::Sealing sealing =
      args.Has("sealed") ? client::Sealing::kSealed : client::Sealing::kUnsealed;
  CANDOR_ASSIGN_OR_RETURN(client::SentMessage sent,
                          device.Send(args.Get("to"), text, attachments, bundle_view, sealing));
  auto written = WriteOutputFile(args.Get("out"), sent.envelope.bytes);
  if (!written.has_value()) return NotWritten(written.error(), sent.message_id);
  CANDOR_RETURN_IF_ERROR(log.Flush());
  JsonObject json;
  json.Int("message_id", sent.message_id)
      .Str("to", args.Get("to"))
      .UInt("envelope_bytes", sent.envelope.bytes.size())
      .Str("session_setup", client::SessionSetupName(sent.setup))
      .Bool("sealed", args.Has("sealed"));
  if (!attachments.empty()) json.Raw("attachments", SealedJson(attachments, args));
  return json.Finish();
}

Result<std::string> RunAllowClassical(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  const bool allow = !args.Has("off");
  CANDOR_RETURN_IF_ERROR(device.AllowClassicalSessions(args.Get("with"), allow));
  return JsonObject().Str("with", args.Get("with")).Bool("classical_allowed", allow).Finish();
}

Result<std::string> RunReceive(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(Bytes delivery, ReadInputFile(args.Get("in"), kMaxDeliveryBytes));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  if (args.Has("attachments-dir") != args.Has("blob-store")) {
    return UsageError("--attachments-dir and --blob-store go together");
  }
  CANDOR_ASSIGN_OR_RETURN(client::ReceivedMessage m, device.Receive(delivery));
  JsonObject json;
  json.Int("message_id", m.message_id)
      .Str("from", m.from)
      .Str("text", m.text)
      .UInt("server_time", m.server_time);
  // A group message names its group; a group control message (no text, no
  // history entry) says what it did.
  if (m.group) json.Str("group", client::GroupIdToHex(*m.group));
  if (!m.group_event.empty()) json.Str("group_event", m.group_event);
  if (!m.attachments.empty()) {
    CANDOR_ASSIGN_OR_RETURN(std::string attachments,
                            SaveReceivedAttachments(device, args, m.message_id, m.attachments));
    json.Raw("attachments", attachments);
  }
  return json.Finish();
}

Result<std::string> RunAck(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(Bytes ack, ReadInputFile(args.Get("in"), kMaxRelayAckBytes));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(int64_t id, device.HandleAck(ack));
  return JsonObject().Int("message_id", id).Finish();
}

Result<std::string> RunHistory(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> limit, args.FindUInt("limit"));
  const uint64_t n = limit.value_or(kDefaultHistoryLimit);
  if (n == 0 || n > kMaxHistoryPage) {
    return UsageError("--limit must be 1.." + std::to_string(kMaxHistoryPage));
  }
  if (args.Has("with") == args.Has("group")) {
    return UsageError("give exactly one of --with and --group");
  }
  if (args.Has("group")) return GroupHistory(args, n);
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(auto entries, device.History(args.Get("with"), n));
  return client::HistoryToJson(entries);
}

Result<std::string> RunSearch(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> limit, args.FindUInt("limit"));
  const uint64_t n = limit.value_or(kDefaultHistoryLimit);
  if (n == 0 || n > kMaxSearchResults) {
    return UsageError("--limit must be 1.." + std::to_string(kMaxSearchResults));
  }
  std::optional<std::string_view> with;
  if (args.Has("with")) with = args.Get("with");
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(auto hits, device.Search(args.Get("query"), with, n));
  return client::SearchToJson(hits);
}

Result<std::string> RunFingerprint(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(std::string fingerprint, device.Fingerprint(args.Get("with")));
  return JsonObject().Str("fingerprint", fingerprint).Str("with", args.Get("with")).Finish();
}

Result<std::string> RunRotatePrekey(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(uint32_t id, device.RotateSignedPrekey());
  return JsonObject().UInt("signed_prekey_id", id).Finish();
}

Result<std::string> RunTimer(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> seconds, args.FindUInt("seconds"));
  if (!seconds) return UsageError("--seconds is required");
  std::optional<uint64_t> timer;
  if (*seconds > 0) timer = *seconds;
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_RETURN_IF_ERROR(device.SetDisappearingTimer(args.Get("with"), timer));
  return JsonObject().Str("with", args.Get("with")).OptUInt("disappear_after", timer).Finish();
}

Result<std::string> RunPurge(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(size_t purged, device.PurgeExpired());
  return JsonObject().UInt("purged_messages", purged).Finish();
}

}  // namespace candor::cli
