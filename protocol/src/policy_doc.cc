// `candor policy`: the policy documents, generated from the compiled
// descriptors' annotations and policy.textproto (policy.h).
#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/protocol/json.h"
#include "candor/protocol/policy.h"
#include "policy_model.h"

namespace candor::protocol {

using internal::Descriptor;
using internal::FieldDescriptor;

namespace {

constexpr const char* kSources =
    "the privacy annotations in protocol/proto/candor/*.proto and "
    "protocol/proto/candor/policy.textproto";

// Channels in the order the documents present them.
constexpr privacy::Channel kChannels[] = {privacy::CHANNEL_RELAY, privacy::CHANNEL_DIRECTORY,
                                          privacy::CHANNEL_BLOB_STORE, privacy::CHANNEL_TOKEN_SERVICE,
                                          privacy::CHANNEL_MODERATION, privacy::CHANNEL_PEER,
                                          privacy::CHANNEL_LOCAL_ONLY};

std::string_view ChannelTitle(privacy::Channel c) {
  switch (c) {
    case privacy::CHANNEL_RELAY: return "Relay: device ↔ relay";
    case privacy::CHANNEL_DIRECTORY: return "Directory: device → prekey directory → peers";
    case privacy::CHANNEL_BLOB_STORE: return "Blob store: device ↔ blob store (attachments' encrypted blobs)";
    case privacy::CHANNEL_TOKEN_SERVICE:
      return "Token service: device ↔ moderation service's token issuance (sealed sender)";
    case privacy::CHANNEL_MODERATION: return "Moderation: device → moderation service, only on the user's submit";
    case privacy::CHANNEL_PEER: return "Peer: only inside end-to-end encryption";
    case privacy::CHANNEL_LOCAL_ONLY: return "Local only: never leaves the device";
    default: return "?";
  }
}

std::string_view StatusText(privacy::Status s) {
  switch (s) {
    case privacy::NEVER_SENT: return "never sent";
    case privacy::CONNECTION_ONLY: return "in no message; the connection reveals it";
    case privacy::ONLY_IN_REPORT: return "only inside a report the user submits";
    case privacy::LOCAL_ONLY_DATA: return "kept on the device only";
    case privacy::PEERS_ONLY: return "only inside end-to-end encryption, to peers";
    default: return "?";
  }
}

std::string_view StatusName(privacy::Status s) {
  switch (s) {
    case privacy::NEVER_SENT: return "never_sent";
    case privacy::CONNECTION_ONLY: return "connection_only";
    case privacy::ONLY_IN_REPORT: return "only_in_report";
    case privacy::LOCAL_ONLY_DATA: return "local_only";
    case privacy::PEERS_ONLY: return "peers_only";
    default: return "unspecified";
  }
}

template <typename List>
std::vector<std::string> AudienceNames(const List& audiences) {
  std::vector<std::string> out;
  for (int a : audiences) out.emplace_back(internal::AudienceName(static_cast<privacy::Audience>(a)));
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

// Messages traveling on `channel`: the top-level ones, then what they nest
// or carry, each once.
std::vector<const Descriptor*> OnChannel(privacy::Channel channel) {
  std::vector<const Descriptor*> out;
  for (const Descriptor* d : internal::PolicyMessages()) {
    const auto channels = internal::ChannelsOf(d);
    if (std::find(channels.begin(), channels.end(), channel) == channels.end()) continue;
    for (const Descriptor* r : internal::Reachable(d)) {
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
  }
  return out;
}

// --- JSON ------------------------------------------------------------------------

std::string FieldJson(const FieldDescriptor* f) {
  const privacy::Exposure& e = internal::ExposureOf(f);
  JsonObject o;
  o.Str("field", f->full_name()).Int("number", f->number())
      .Raw("audience", JsonStringArray(AudienceNames(e.audience())))
      .Str("category", e.category()).Str("apple_type", e.apple_type())
      .Str("play_type", e.play_type()).Str("purpose", e.purpose()).Str("retention", e.retention());
  if (!e.carries().empty()) o.Str("carries", e.carries());
  return o.Finish();
}

std::string MessageJson(const Descriptor* d) {
  std::vector<std::string> channels, fields;
  for (privacy::Channel c : internal::ChannelsOf(d)) channels.emplace_back(internal::ChannelName(c));
  for (int i = 0; i < d->field_count(); ++i) fields.push_back(FieldJson(d->field(i)));
  JsonObject o;
  o.Str("type", d->full_name()).Str("file", d->file()->name());
  if (!channels.empty()) {
    o.Raw("channels", JsonStringArray(channels))
        .Str("direction", d->options().GetExtension(privacy::egress).direction());
  } else {
    o.Str("travels", "nested in another message only");
  }
  return o.Raw("fields", JsonArray(fields)).Finish();
}

std::string PolicyJson(const privacy::PolicyText& text) {
  std::vector<std::string> messages, investigated, non_field;
  for (const Descriptor* d : internal::PolicyMessages()) messages.push_back(MessageJson(d));
  JsonObject channels;
  for (privacy::Channel c : kChannels) {
    std::vector<std::string> types;
    for (const Descriptor* d : OnChannel(c)) types.push_back(d->full_name());
    channels.Raw(internal::ChannelName(c), JsonStringArray(types));
  }
  for (const auto& i : text.investigated()) {
    investigated.push_back(JsonObject().Str("name", i.name()).Str("category", i.category())
                               .Str("status", StatusName(i.status())).Str("detail", i.detail()).Finish());
  }
  for (const auto& n : text.non_field()) {
    non_field.push_back(JsonObject().Str("name", n.name())
                            .Raw("audience", JsonStringArray(AudienceNames(n.audience())))
                            .Str("category", n.category()).Str("apple_type", n.apple_type())
                            .Str("play_type", n.play_type()).Str("detail", n.detail())
                            .Str("mitigation", n.mitigation()).Finish());
  }
  return JsonPretty(
      JsonObject()
          .Str("title", "candor metadata exposure policy")
          .Str("generated_from", kSources)
          .UInt("report_window", kReportWindow)
          .Raw("channels", channels.Finish())
          .Raw("relay_sees_for_one_message",
               JsonStringArray({text.relay_knowledge().begin(), text.relay_knowledge().end()}))
          .Raw("report_rules", JsonStringArray({text.report_rules().begin(), text.report_rules().end()}))
          .Raw("investigated_categories", JsonArray(investigated))
          .Raw("non_field_exposure", JsonArray(non_field))
          .Raw("messages", JsonArray(messages))
          .Finish());
}

// --- Markdown --------------------------------------------------------------------

std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out.empty() ? "—" : out;
}

std::string FieldRows(const Descriptor* d) {
  std::string out;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const privacy::Exposure& e = internal::ExposureOf(f);
    std::string name = "`" + f->name() + "`";
    if (!e.carries().empty()) name += " (holds " + Cell(e.carries()) + ")";
    out += "| " + name + " | " + Join(AudienceNames(e.audience()), ", ") + " | `" + e.category() +
           "` | " + Cell(e.apple_type()) + " | " + Cell(e.play_type()) + " | " + Cell(e.purpose()) +
           " | " + Cell(e.retention()) + " |\n";
  }
  return out;
}

std::string MessageTable(const Descriptor* d) {
  std::string out = "#### `" + d->full_name() + "`";
  if (d->options().HasExtension(privacy::egress)) {
    out += " — " + d->options().GetExtension(privacy::egress).direction();
  } else {
    out += " — nested in another message";
  }
  out += "\n\n| field | seen by | category | Apple privacy manifest | Google Play data safety | purpose | retention |\n"
         "|---|---|---|---|---|---|---|\n";
  return out + FieldRows(d) + "\n";
}

std::string PolicyMarkdown(const privacy::PolicyText& text) {
  std::string md =
      "# candor — metadata exposure policy\n\n"
      "Generated by `candor policy --format markdown` from " + std::string(kSources) +
      ". Do not edit by hand: change the sources and regenerate (a test fails when this file "
      "is stale). The same content, for machines: `policy/metadata.json`.\n\n"
      "Audiences: **peer** = the other end, inside end-to-end encryption; **relay** = the server "
      "forwarding envelopes; **directory** = the prekey directory and whoever fetches a bundle; "
      "**blob_store** = the store that keeps attachments' encrypted blobs; "
      "**token_service** = the moderation service issuing sealed-sender tokens (it sees who asks "
      "for how many, when; never which message a token is used for); "
      "**moderation** = the moderation service, only inside a report the user submits; "
      "**local_only** = never leaves the device. At runtime one egress guard refuses any field "
      "whose audience does not include the channel it is about to travel on.\n\n"
      "## What the relay sees for one message\n\n";
  for (const auto& k : text.relay_knowledge()) md += "- " + k + "\n";
  md += "\n## What a report reveals\n\n";
  md += "The report window is the reported message and the " + std::to_string(kReportWindow - 1) +
        " before it (`kReportWindow = " + std::to_string(kReportWindow) + "`).\n\n";
  for (const auto& r : text.report_rules()) md += "- " + r + "\n";
  md += "\n## Data a messenger may collect: candor's status\n\n"
        "The categories the investigation behind candor lists. A test walks every message that can "
        "leave the device and fails if a \"never sent\" category appears in any field.\n\n"
        "| data | category | candor | detail |\n|---|---|---|---|\n";
  for (const auto& i : text.investigated()) {
    md += "| " + Cell(i.name()) + " | `" + i.category() + "` | " + std::string(StatusText(i.status())) +
          " | " + Cell(i.detail()) + " |\n";
  }
  md += "\n## Exposure no field carries\n\n| exposure | seen by | category | detail | mitigation |\n"
        "|---|---|---|---|---|\n";
  for (const auto& n : text.non_field()) {
    md += "| " + Cell(n.name()) + " | " + Join(AudienceNames(n.audience()), ", ") + " | `" +
          n.category() + "` | " + Cell(n.detail()) + " | " + Cell(n.mitigation()) + " |\n";
  }
  md += "\n## Every field, by channel\n\n";
  for (privacy::Channel c : kChannels) {
    md += "### " + std::string(ChannelTitle(c)) + "\n\n";
    for (const Descriptor* d : OnChannel(c)) md += MessageTable(d);
  }
  return md;
}

}  // namespace

Result<std::string> GeneratePolicy(PolicyFormat format) {
  const privacy::PolicyText* text = internal::PolicyText();
  if (text == nullptr) return Error(Errc::kInternal, "the compiled-in policy text does not parse");
  for (const Descriptor* d : internal::PolicyMessages()) {
    for (int i = 0; i < d->field_count(); ++i) {
      if (!internal::HasExposure(d->field(i))) {
        return Error(Errc::kInternal, d->field(i)->full_name() + " has no exposure annotation");
      }
    }
  }
  return format == PolicyFormat::kJson ? PolicyJson(*text) : PolicyMarkdown(*text);
}

}  // namespace candor::protocol
