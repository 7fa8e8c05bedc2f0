// candor identity / trust / verify / reject: a peer's safety number, and the
// user's decision on a changed one (docs/identity.md).
#include "candor/protocol/json.h"
#include "commands.h"
#include "device.h"

namespace candor::cli {

using protocol::JsonObject;

Result<std::string> RunIdentity(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  return client::IdentityStatusJson(device, args.Get("with"));
}

Result<std::string> RunTrust(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  const std::string shown = args.Find("safety-number").value_or("");
  CANDOR_ASSIGN_OR_RETURN(auto received, device.AcceptIdentityChange(args.Get("with"), shown));
  return JsonObject()
      .Str("with", args.Get("with"))
      .Bool("accepted", true)
      .Raw("received", client::ReceivedListToJson(received))
      .Finish();
}

Result<std::string> RunVerify(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_ASSIGN_OR_RETURN(auto received,
                          device.VerifyIdentity(args.Get("with"), args.Get("safety-number")));
  return JsonObject()
      .Str("with", args.Get("with"))
      .Bool("verified", true)
      .Raw("received", client::ReceivedListToJson(received))
      .Finish();
}

Result<std::string> RunReject(const Args& args) {
  CANDOR_ASSIGN_OR_RETURN(client::Client device, OpenDevice(args.Get("db")));
  CANDOR_RETURN_IF_ERROR(device.RejectIdentityChange(args.Get("with")));
  return JsonObject().Str("with", args.Get("with")).Bool("rejected", true).Finish();
}

}  // namespace candor::cli
