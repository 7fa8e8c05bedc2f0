// relay, keygen relay, keygen moderator: the server side and its keys.
#include "candor/crypto/encoding.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/x25519.h"
#include "candor/protocol/relay.h"
#include "commands.h"
#include "commands_group.h"
#include "device.h"
#include "egress_log.h"
#include "files.h"
#include "key_files.h"
#include "candor/protocol/json.h"

namespace candor::cli {

using protocol::JsonObject;

Result<std::string> RunRelay(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> time, args.FindUInt("time"));
  if (time && *time == 0) return UsageError("--time must be positive");
  if (args.Has("out") == args.Has("out-dir")) {
    return UsageError("give --out for an envelope, or --out-dir for a group envelope");
  }
  CANDOR_ASSIGN_OR_RETURN(crypto::RelayKey key, ReadRelayKeyFile(args.Get("key")));
  if (args.Has("out-dir")) {
    CANDOR_ASSIGN_OR_RETURN(Bytes envelope, ReadInputFile(args.Get("in"), kMaxGroupEnvelopeBytes));
    return RelayGroup(args, key, envelope, time.value_or(CliClock().NowSeconds()));
  }
  CANDOR_ASSIGN_OR_RETURN(Bytes envelope, ReadInputFile(args.Get("in"), kMaxEnvelopeBytes));
  CANDOR_ASSIGN_OR_RETURN(protocol::Relayed relayed,
                          protocol::RelayEnvelope(key, envelope, time.value_or(CliClock().NowSeconds())));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("out"), relayed.delivery));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("ack-out"), relayed.ack));
  EgressLog log(args.Find("egress-log"));
  log.Add(relayed.delivery_egress);
  log.Add(relayed.ack_egress);
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return JsonObject()
      .Str("sender", relayed.envelope.sender)
      .Str("recipient", relayed.envelope.recipient)
      .UInt("server_time", relayed.server_time)
      .Finish();
}

Result<std::string> RunKeygenRelay(const Args& args) {
  const crypto::RelayKey key = crypto::GenerateRelayKey(crypto::SystemRandom());
  CANDOR_RETURN_IF_ERROR(WriteRelayKeyFile(args.Get("out"), key));
  return JsonObject().Str("key_file", args.Get("out")).Finish();
}

Result<std::string> RunKeygenModerator(const Args& args) {
  if (args.Get("out") == args.Get("public-out")) {
    return UsageError("--out and --public-out must be different files");
  }
  crypto::RandomSource& rng = crypto::SystemRandom();
  const ModeratorKeys keys{crypto::X25519KeyPair::Generate(rng),
                           crypto::Ed25519KeyPair::Generate(rng), crypto::GenerateTokenKey(rng)};
  CANDOR_RETURN_IF_ERROR(WriteModeratorKeyFiles(args.Get("out"), args.Get("public-out"), keys));
  return JsonObject()
      .Str("public_key", ToHex(keys.report_key.public_key().bytes()))
      .Str("token_signing_key", ToHex(keys.token_signing->public_key().bytes()))
      .Str("secret_file", args.Get("out"))
      .Str("public_file", args.Get("public-out"))
      .Finish();
}

}  // namespace candor::cli
