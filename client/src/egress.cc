#include "egress.h"

namespace candor::client::internal {

// Today every item comes from candor's own encoders, which emit only the
// fields the wire formats define. The policy check by reflection belongs
// here (issue "metadata policy"); until it lands this is the single exit.
Result<OutgoingItem> Emit(Channel channel, Bytes bytes) {
  if (bytes.empty()) return Error(Errc::kInternal, "nothing to emit");
  return OutgoingItem{channel, std::move(bytes)};
}

}  // namespace candor::client::internal
