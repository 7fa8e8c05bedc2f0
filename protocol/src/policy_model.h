// Private to protocol/: the policy as data — the privacy annotations of the
// compiled descriptors and the compiled-in policy.textproto — shared by the
// egress guard, the document generator and the log audit.
#ifndef CANDOR_PROTOCOL_SRC_POLICY_MODEL_H_
#define CANDOR_PROTOCOL_SRC_POLICY_MODEL_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <string_view>
#include <vector>

#include "candor/privacy/privacy.pb.h"
#include "candor/protocol/egress.h"

namespace candor::protocol::internal {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The .proto files the policy covers, as compiled (privacy.proto, the
// vocabulary itself, is not among them).
const std::vector<std::string>& PolicyFiles();
// Every message of those files, in file order.
std::vector<const Descriptor*> PolicyMessages();
bool IsPolicyMessage(const Descriptor* d);

bool HasExposure(const FieldDescriptor* f);
const privacy::Exposure& ExposureOf(const FieldDescriptor* f);
bool Allows(const privacy::Exposure& e, privacy::Audience audience);
// The (candor.privacy.egress) channels of a message; empty if it has none
// (then it only ever travels nested in another).
std::vector<privacy::Channel> ChannelsOf(const Descriptor* d);
bool TravelsOn(const Descriptor* d, EgressChannel channel);

privacy::Audience AudienceFor(EgressChannel channel);
std::string_view AudienceName(privacy::Audience audience);  // "relay", …
std::string_view ChannelName(privacy::Channel channel);     // "relay", …, "local_only", "peer"

struct Carried {
  const Descriptor* type;
  uint8_t version;  // the bytes start with this version byte (kUnversioned: none)
};
// The types a bytes field carries (Exposure.carries), in order.
std::vector<Carried> CarriedTypes(const FieldDescriptor* f);

// The version byte a top-level message of type `d` starts with.
uint8_t TopLevelVersion(const Descriptor* d);

// `root` and every message type nested in it or carried by it.
std::vector<const Descriptor*> Reachable(const Descriptor* root);

// The guard's walk alone, over a message of any type (egress.cc; tests use
// it with messages made to break the rules). Returns the set fields' names.
Result<std::vector<std::string>> CheckMessageForChannel(const google::protobuf::Message& m,
                                                        EgressChannel channel);

// policy.textproto, parsed once; nullptr if it does not parse (a test
// guarantees it does).
const privacy::PolicyText* PolicyText();

}  // namespace candor::protocol::internal

#endif  // CANDOR_PROTOCOL_SRC_POLICY_MODEL_H_
