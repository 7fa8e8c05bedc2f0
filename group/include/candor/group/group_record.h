// The at-rest forms of a group's state and sender keys (candor.local,
// group_state.proto), for the store. Never sent.
//
// Key material is serialized into wiped memory and wiped from protobuf's
// buffers. Parsing checks every length and limit and the invariants the
// in-memory types assume (GroupState::Restore; a sender key's chain is for
// the group it is stored under): a corrupt or foreign record is
// kStorageFailed, never a crash.
#ifndef CANDOR_GROUP_GROUP_RECORD_H_
#define CANDOR_GROUP_GROUP_RECORD_H_

#include "candor/crypto/bytes.h"
#include "candor/crypto/result.h"
#include "candor/crypto/secret.h"
#include "candor/crypto/sender_key.h"
#include "candor/group/group_state.h"
#include "candor/group/sender_key_ring.h"

namespace candor::group {

Bytes SerializeGroupState(const GroupState& state);
Result<GroupState> ParseGroupState(ByteView bytes);

SecretBytes SerializeOwnPart(const SenderKeyRing::OwnPart& own);
Result<SenderKeyRing::OwnPart> ParseOwnPart(ByteView bytes, const crypto::GroupId& group);

SecretBytes SerializeMemberKey(const crypto::MemberSenderKey& key);
Result<crypto::MemberSenderKey> ParseMemberKey(ByteView bytes, const crypto::GroupId& group);

}  // namespace candor::group

#endif  // CANDOR_GROUP_GROUP_RECORD_H_
