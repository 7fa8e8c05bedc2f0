#include "exit_codes.h"

#include "candor/protocol/json.h"

namespace candor::cli {

using protocol::JsonObject;

// By the Errc ranges (crypto/errc.h): 1-99 general, 100s decoding, 200s
// crypto, 300s sessions and franking, 400s wire, 500s storage, 600s policy.
int ExitCodeFor(Errc code) {
  if (code == Errc::kInvalidArgument) return kExitUsage;
  const int value = static_cast<int>(code);
  if (value >= 100 && value < 500) return kExitRejected;
  if (value >= 600 && value < 700) return kExitRejected;
  if (value >= 500 && value < 600) return kExitStorage;
  return kExitOther;
}

std::string ErrorJson(const Error& error) {
  const std::string inner =
      JsonObject().Str("code", ErrcName(error.code())).Str("message", error.message()).Finish();
  return JsonObject().Raw("error", inner).Finish();
}

}  // namespace candor::cli
