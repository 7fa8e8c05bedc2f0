// Private to client/: the one function through which the client hands bytes
// out. Every OutgoingItem is made here, so the metadata policy's egress
// guard (and its audit log) has exactly one place to sit.
#ifndef CANDOR_CLIENT_SRC_EGRESS_H_
#define CANDOR_CLIENT_SRC_EGRESS_H_

#include "candor/client/client.h"

namespace candor::client::internal {

Result<OutgoingItem> Emit(Channel channel, Bytes bytes);

}  // namespace candor::client::internal

#endif  // CANDOR_CLIENT_SRC_EGRESS_H_
