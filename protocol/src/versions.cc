#include "candor/protocol/versions.h"

#include <google/protobuf/stubs/common.h>

namespace candor::protocol {

std::string ProtobufVersion() {
  return google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION);
}

}  // namespace candor::protocol
