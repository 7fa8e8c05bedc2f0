// Sealed sender's keys and credentials (docs/sealed-sender.md, docs/cli.md):
// the directory's key and certificates, the device's token requests and the
// service's answers, and the keys a device pins. The service sides (cert
// issue, tokens issue) stand in for the directory and the moderation
// service: a real one authenticates the device's connection and names the
// account from it, where these trust the files they are given.
#include "candor/crypto/encoding.h"
#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/json.h"
#include "candor/protocol/sealed_services.h"
#include "candor/protocol/sealed_wire.h"
#include "commands.h"
#include "device.h"
#include "egress_log.h"
#include "files.h"
#include "key_files.h"

namespace candor::cli {

using protocol::JsonObject;

namespace {

constexpr uint64_t kDaySeconds = 86'400;

// --days N (default kDefaultSealedCredentialDays): the expiry from now.
Result<uint64_t> ExpiryFromDays(const Args& args, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> days, args.FindUInt("days"));
  const uint64_t d = days.value_or(kDefaultSealedCredentialDays);
  if (d == 0 || d > kMaxSealedCredentialDays) {
    return UsageError("--days must be 1.." + std::to_string(kMaxSealedCredentialDays));
  }
  return now + d * kDaySeconds;
}

// The moderation service's token keys, which a v1 file does not hold.
Result<ModeratorKeys> ReadTokenService(const std::string& path) {
  CANDOR_ASSIGN_OR_RETURN(ModeratorKeys keys, ReadModeratorSecretFile(path));
  if (!keys.token_signing || !keys.token_key) {
    return Error(Errc::kInvalidEncoding,
                 path + " is a moderator key from before sealed sender (v1): it has no token "
                        "keys; make new ones with candor keygen moderator");
  }
  return keys;
}

std::string SupplyJson(const storage::Store::TokenSupply& supply) {
  return JsonObject()
      .UInt("usable", supply.usable)
      .UInt("requested", supply.requested)
      .Bool("low", supply.low)
      .Finish();
}

}  // namespace

Result<std::string> RunKeygenDirectory(const Args& args) {
  if (args.Get("out") == args.Get("public-out")) {
    return UsageError("--out and --public-out must be different files");
  }
  const crypto::Ed25519KeyPair key = crypto::Ed25519KeyPair::Generate(crypto::SystemRandom());
  CANDOR_RETURN_IF_ERROR(WriteDirectoryKeyFiles(args.Get("out"), args.Get("public-out"), key));
  return JsonObject()
      .Str("public_key", ToHex(key.public_key().bytes()))
      .Str("secret_file", args.Get("out"))
      .Str("public_file", args.Get("public-out"))
      .Finish();
}

Result<std::string> RunCertIssue(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair directory,
                          ReadDirectorySecretFile(args.Get("key")));
  CANDOR_ASSIGN_OR_RETURN(Bytes bundle_bytes,
                          ReadInputFile(args.Get("bundle"), kMaxPrekeyBundleBytes));
  CANDOR_ASSIGN_OR_RETURN(uint64_t expires_at, ExpiryFromDays(args, CliClock().NowSeconds()));
  CANDOR_ASSIGN_OR_RETURN(crypto::SenderCertificate cert,
                          protocol::CertifyBundle(directory, bundle_bytes, expires_at));
  CANDOR_ASSIGN_OR_RETURN(Bytes encoded, protocol::EncodeSenderCertificate(cert));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("out"), encoded));
  return JsonObject()
      .Str("account", cert.account)
      .Str("identity_key", ToHex(cert.identity_key.bytes()))
      .UInt("expires_at", cert.expires_at)
      .Finish();
}

Result<std::string> RunCertAdd(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(Bytes cert, ReadInputFile(args.Get("in"), kMaxSenderCertificateBytes));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(uint64_t expires_at, device.AddSenderCertificate(cert));
  return JsonObject().Str("account", device.account()).UInt("expires_at", expires_at).Finish();
}

Result<std::string> RunTokensRequest(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(std::optional<uint64_t> count, args.FindUInt("count"));
  if (!count || *count == 0 || *count > kMaxTokensPerRequest) {
    return UsageError("--count must be 1.." + std::to_string(kMaxTokensPerRequest));
  }
  EgressLog log(args.Find("egress-log"));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db"), &log));
  CANDOR_ASSIGN_OR_RETURN(client::OutgoingItem request, device.RequestTokens(*count));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("out"), request.bytes));
  CANDOR_RETURN_IF_ERROR(log.Flush());
  return JsonObject()
      .UInt("requested", *count)
      .UInt("request_bytes", request.bytes.size())
      .Finish();
}

Result<std::string> RunTokensIssue(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(ModeratorKeys keys, ReadTokenService(args.Get("key")));
  CANDOR_RETURN_IF_ERROR(crypto::CheckAccount(args.Get("account")));
  CANDOR_ASSIGN_OR_RETURN(Bytes request, ReadInputFile(args.Get("in"), kMaxTokenRequestBytes));
  const uint64_t now = CliClock().NowSeconds();
  CANDOR_ASSIGN_OR_RETURN(uint64_t expires_at, ExpiryFromDays(args, now));
  size_t issued = 0;
  CANDOR_ASSIGN_OR_RETURN(Bytes response,
                          protocol::AnswerTokenRequest(*keys.token_key, *keys.token_signing,
                                                       args.Get("account"), request, now,
                                                       expires_at, crypto::SystemRandom(),
                                                       &issued));
  CANDOR_RETURN_IF_ERROR(WriteOutputFile(args.Get("out"), response));
  return JsonObject()
      .Str("account", args.Get("account"))
      .UInt("issued", issued)
      .UInt("expires_at", expires_at)
      .Finish();
}

Result<std::string> RunTokensAdd(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(Bytes response, ReadInputFile(args.Get("in"), kMaxTokenResponseBytes));
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(size_t added, device.AddTokens(response));
  CANDOR_ASSIGN_OR_RETURN(storage::Store::TokenSupply supply, device.Tokens());
  return JsonObject().UInt("added", added).Raw("tokens", SupplyJson(supply)).Finish();
}

Result<std::string> RunTokens(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(storage::Store::TokenSupply supply, device.Tokens());
  return SupplyJson(supply);
}

Result<std::string> RunPin(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(crypto::Ed25519PublicKey directory,
                          ReadDirectoryPublicFile(args.Get("directory")));
  CANDOR_ASSIGN_OR_RETURN(ModeratorPublicKeys moderator,
                          ReadModeratorPublicFile(args.Get("moderator")));
  if (!moderator.token_signing) {
    return Error(Errc::kInvalidEncoding,
                 args.Get("moderator") + " is a moderator key from before sealed sender (v1): "
                                         "it has no token-signing key to pin");
  }
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_RETURN_IF_ERROR(device.PinSealedKeys(directory, *moderator.token_signing));
  return JsonObject()
      .Str("directory", ToHex(directory.bytes()))
      .Str("moderation", ToHex(moderator.token_signing->bytes()))
      .Finish();
}

}  // namespace candor::cli
