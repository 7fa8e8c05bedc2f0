// The protobuf version candor's wire code was compiled against, for
// `candor version` and audits.
#ifndef CANDOR_PROTOCOL_VERSIONS_H_
#define CANDOR_PROTOCOL_VERSIONS_H_

#include <string>

namespace candor::protocol {

// e.g. "3.21.12". protobuf has no run-time version query; the generated
// code refuses to build against another version, and the shared library's
// soname pins its ABI, so this is the version that runs.
std::string ProtobufVersion();

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_VERSIONS_H_
