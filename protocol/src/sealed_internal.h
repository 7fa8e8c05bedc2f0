// Private to protocol/: a SealedProof read from its parsed protobuf, for the
// Frame decoder (which parses the proof as part of the Frame).
#ifndef CANDOR_PROTOCOL_SRC_SEALED_INTERNAL_H_
#define CANDOR_PROTOCOL_SRC_SEALED_INTERNAL_H_

#include "candor/protocol/sealed_wire.h"
#include "candor/wire/sealed.pb.h"

namespace candor::protocol::internal {

Result<SealedProof> ReadSealedProof(const wire::SealedProof& pb);

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_SEALED_INTERNAL_H_
