// group create|add|remove|admin|rename|leave, groups, send --group, history
// --group, and the relay's group fan-out: a device's side of groups
// (docs/groups.md, docs/cli.md). A group operation hands out several
// envelopes, so it writes them into --out-dir as numbered files
// (NN.envelope, and group.envelope for a group message) and lists them in
// its JSON, in the order they are to be relayed; no file is named after an
// account (account names may hold any character but control ones).
#include <filesystem>
#include <string>
#include <vector>

#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/protocol/json.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/wire.h"
#include "commands.h"
#include "commands_group.h"
#include "commands_attachment.h"
#include "device.h"
#include "egress_log.h"
#include "files.h"
#include "key_files.h"

namespace candor::cli {

using protocol::JsonArray;
using protocol::JsonObject;

namespace {

namespace fs = std::filesystem;

// "a,b,c": 1..kMaxGroupChangeAccounts accounts (each checked by the client).
Result<std::vector<std::string>> AccountList(const std::string& value, std::string_view flag) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = value.find(',', start);
    const size_t end = comma == std::string::npos ? value.size() : comma;
    out.push_back(value.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const std::string& a : out) {
    if (a.empty()) return UsageError(std::string(flag) + ": an empty account name");
  }
  if (out.size() > kMaxGroupChangeAccounts) {
    return UsageError(std::string(flag) + ": at most " + std::to_string(kMaxGroupChangeAccounts) +
                      " accounts per change");
  }
  return out;
}

// Every file in --bundles DIR, as prekey bundles by their account (the
// members this device has no session with yet).
Result<client::Bundles> ReadBundles(const Args& args) {
  client::Bundles bundles;
  const auto dir = args.Find("bundles");
  if (!dir) return bundles;
  std::error_code ec;
  fs::directory_iterator it(*dir, ec);
  if (ec) return Error(Errc::kNotFound, "--bundles: cannot read directory " + *dir);
  for (const fs::directory_entry& entry : it) {
    if (!entry.is_regular_file(ec)) continue;
    CANDOR_ASSIGN_OR_RETURN(Bytes bytes, ReadInputFile(entry.path().string(), kMaxPrekeyBundleBytes));
    auto bundle = protocol::DecodePrekeyBundle(bytes);
    if (!bundle.has_value()) {
      return Error(bundle.error().code(),
                   "--bundles: " + entry.path().filename().string() + ": " + bundle.error().message());
    }
    bundles[bundle->account] = std::move(bytes);
  }
  return bundles;
}

// Each operation writes into a directory of its own: one already holding
// files (an earlier operation's envelopes, perhaps not relayed yet) is
// refused before anything is stored, never overwritten.
Result<void> FreshOutDir(const Args& args) {
  const std::string dir = args.Get("out-dir");
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return Error(Errc::kAlreadyExists,
                 "--out-dir " + dir + " is not an empty directory: give each operation a new one");
  }
  return Ok();
}

Result<crypto::GroupId> GroupFlag(const Args& args) {
  auto id = client::GroupIdFromHex(args.Get("group"));
  if (!id.has_value()) return UsageError("--group: " + id.error().message());
  return *id;
}

// Writes what a group operation handed out into --out-dir, in order;
// returns the JSON fields that list the files. The store has committed:
// a write that fails says so.
Result<JsonObject> WriteOperation(const Args& args, const client::GroupOperation& op,
                                  JsonObject json) {
  const std::string dir = args.Get("out-dir");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return Error(Errc::kStorageFailed, "--out-dir: cannot create directory " + dir +
                                           "; the operation is stored, nothing was written");
  }
  std::vector<std::string> files, written_names;
  auto stored = [&](const Error& e) {
    std::string done;
    for (const std::string& n : written_names) done += (done.empty() ? "" : ", ") + n;
    return Error(e.code(), "the operation is stored, but its envelopes were not all written (" +
                               (done.empty() ? std::string("none") : done) +
                               " written): " + e.message());
  };
  for (size_t i = 0; i < op.envelopes.size(); ++i) {
    const std::string name = (i < 9 ? "0" : "") + std::to_string(i + 1) + ".envelope";
    auto written = WriteOutputFile((fs::path(dir) / name).string(), op.envelopes[i].bytes);
    if (!written.has_value()) return stored(written.error());
    written_names.push_back(name);
    files.push_back(JsonObject().Str("file", name).Finish());
  }
  json.Raw("envelopes", JsonArray(files));
  if (op.group_envelope) {
    auto written = WriteOutputFile((fs::path(dir) / "group.envelope").string(),
                                   op.group_envelope->bytes);
    if (!written.has_value()) return stored(written.error());
    json.Str("group_envelope", "group.envelope");
  }
  return json;
}

Result<std::string> Finish(const Args& args, const client::GroupOperation& op, EgressLog& log) {
  CANDOR_ASSIGN_OR_RETURN(JsonObject json,
                          WriteOperation(args, op, JsonObject().Str("group", client::GroupIdToHex(op.group))));
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return json.Finish();
}

}  // namespace

Result<std::string> RunGroupCreate(const Args& args) {
  CANDOR_RETURN_IF_ERROR(FreshOutDir(args));
  CANDOR_ASSIGN_OR_RETURN(auto members, AccountList(args.Get("members"), "--members"));
  CANDOR_ASSIGN_OR_RETURN(client::Bundles bundles, ReadBundles(args));
  Bytes avatar;
  if (auto path = args.Find("avatar")) {
    CANDOR_ASSIGN_OR_RETURN(avatar, ReadInputFile(*path, kMaxGroupAvatarBytes));
  }
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  CANDOR_ASSIGN_OR_RETURN(client::GroupOperation op,
                          device.CreateGroup(args.Get("name"), avatar, std::move(members), bundles));
  return Finish(args, op, log);
}

Result<std::string> RunGroupChange(const Args& args, protocol::GroupChangeKind kind) {
  CANDOR_RETURN_IF_ERROR(FreshOutDir(args));
  CANDOR_ASSIGN_OR_RETURN(crypto::GroupId g, GroupFlag(args));
  std::vector<std::string> accounts;
  if (args.Has("accounts")) {
    CANDOR_ASSIGN_OR_RETURN(accounts, AccountList(args.Get("accounts"), "--accounts"));
  }
  CANDOR_ASSIGN_OR_RETURN(client::Bundles bundles, ReadBundles(args));
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  Result<client::GroupOperation> op = Error(Errc::kInternal, "no change");
  switch (kind) {
    case protocol::GroupChangeKind::kAdd: op = device.AddGroupMembers(g, accounts, bundles); break;
    case protocol::GroupChangeKind::kRemove:
      op = device.RemoveGroupMembers(g, accounts, bundles);
      break;
    case protocol::GroupChangeKind::kMakeAdmin:
      op = device.MakeGroupAdmins(g, accounts, bundles);
      break;
    case protocol::GroupChangeKind::kRename:
      op = device.RenameGroup(g, args.Get("name"), bundles);
      break;
    case protocol::GroupChangeKind::kLeave: op = device.LeaveGroup(g, bundles); break;
    case protocol::GroupChangeKind::kCreate: return UsageError("use candor group create");
  }
  CANDOR_RETURN_IF_ERROR(op);
  return Finish(args, *op, log);
}

Result<std::string> RunGroupAdd(const Args& args) {
  return RunGroupChange(args, protocol::GroupChangeKind::kAdd);
}
Result<std::string> RunGroupRemove(const Args& args) {
  return RunGroupChange(args, protocol::GroupChangeKind::kRemove);
}
Result<std::string> RunGroupAdmin(const Args& args) {
  return RunGroupChange(args, protocol::GroupChangeKind::kMakeAdmin);
}
Result<std::string> RunGroupRename(const Args& args) {
  return RunGroupChange(args, protocol::GroupChangeKind::kRename);
}
Result<std::string> RunGroupLeave(const Args& args) {
  return RunGroupChange(args, protocol::GroupChangeKind::kLeave);
}

Result<std::string> RunGroups(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(auto groups, device.Groups());
  return client::GroupsToJson(groups);
}

Result<std::string> SendToGroup(const Args& args, std::string_view text) {
  if (!args.Has("out-dir") || args.Has("out") || args.Has("bundle")) {
    return UsageError("send --group writes --out-dir DIR (not --out), and takes --bundles DIR");
  }
  CANDOR_RETURN_IF_ERROR(FreshOutDir(args));
  CANDOR_ASSIGN_OR_RETURN(crypto::GroupId g, GroupFlag(args));
  CANDOR_ASSIGN_OR_RETURN(client::Bundles bundles, ReadBundles(args));
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  CANDOR_ASSIGN_OR_RETURN(std::vector<client::SealedAttachment> attachments,
                          SealAttachFlags(device, args));
  CANDOR_ASSIGN_OR_RETURN(client::GroupOperation op,
                          device.SendGroup(g, text, attachments, bundles));
  JsonObject fields;
  fields.Int("message_id", op.message_id).Str("group", client::GroupIdToHex(g));
  if (!attachments.empty()) fields.Raw("attachments", SealedJson(attachments, args));
  CANDOR_ASSIGN_OR_RETURN(JsonObject json, WriteOperation(args, op, std::move(fields)));
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return json.Finish();
}

Result<std::string> GroupHistory(const Args& args, uint64_t limit) {
  CANDOR_ASSIGN_OR_RETURN(crypto::GroupId g, GroupFlag(args));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(auto entries, device.GroupHistory(g, limit));
  return client::HistoryToJson(entries);
}

Result<std::string> RelayGroup(const Args& args, const crypto::RelayKey& key, ByteView envelope,
                               uint64_t time) {
  CANDOR_RETURN_IF_ERROR(FreshOutDir(args));
  CANDOR_ASSIGN_OR_RETURN(protocol::GroupRelayed relayed,
                          protocol::RelayGroupEnvelope(key, envelope, time));
  const std::string dir = args.Get("out-dir");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return Error(Errc::kStorageFailed, "--out-dir: cannot create directory " + dir);
  }
  std::vector<std::string> deliveries;
  for (size_t i = 0; i < relayed.deliveries.size(); ++i) {
    const std::string name = std::to_string(i + 1) + ".delivery";
    CANDOR_RETURN_IF_ERROR(
        WriteOutputFile((fs::path(dir) / name).string(), relayed.deliveries[i].second));
    deliveries.push_back(
        JsonObject().Str("recipient", relayed.deliveries[i].first).Str("file", name).Finish());
  }
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("ack-out"), relayed.ack));
  EgressLog log(args.Find("egress-log"));
  for (const auto& record : relayed.egress) log.Add(record);
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return JsonObject()
      .Str("sender", relayed.envelope.sender)
      .UInt("server_time", relayed.server_time)
      .Raw("deliveries", JsonArray(deliveries))
      .Finish();
}

}  // namespace candor::cli
