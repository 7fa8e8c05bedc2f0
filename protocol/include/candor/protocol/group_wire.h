// Group control messages carried over the pairwise sessions (DESIGN.md
// "Groups (Sender Keys)"): a Frame's content is then a GroupControl, not a
// Content (content.proto says why). For now the sender key distribution.
// The group message itself is crypto::GroupEncrypt's format
// (crypto/sender_key.h).
#ifndef CANDOR_PROTOCOL_GROUP_WIRE_H_
#define CANDOR_PROTOCOL_GROUP_WIRE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "candor/crypto/bytes.h"
#include "candor/crypto/ed25519.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"

namespace candor::protocol {

struct SenderKeyDistribution {
  uint32_t epoch;
  crypto::SenderChain chain;  // G, kid, n, ck_n, HK_G
  crypto::Ed25519PublicKey signing_public;
  // The key this one replaces and the first iteration it never used.
  std::optional<uint32_t> previous_key_id;
  std::optional<uint32_t> previous_final_iteration;
  // crypto::SignSenderKeyOwnership's proof (checked by the receiving ring,
  // which knows the owner's identity key).
  crypto::Ed25519Signature ownership;
  // The owner's view of the group at `epoch` (group::MembershipDigest), to
  // confirm a welcomed member's view; absent in distributions from before.
  std::optional<std::array<uint8_t, 32>> membership = std::nullopt;
};

// The serialized GroupControl (what the pairwise message's franking covers),
// in wiped memory: it holds the chain and header keys.
// kMissingField unless the previous key's id and final iteration come
// together.
Result<SecretBytes> EncodeSenderKeyDistribution(const SenderKeyDistribution& distribution);
// The strict layers (size cap, parse, no unknown fields: a Content is
// kUnknownField), then: the distribution present (kMissingField), every key 32 bytes
// (kBadFieldLength), the previous key's fields together (kMissingField),
// and the canonical encoding (kMalformed). Key material is wiped from the
// parse buffers.
Result<SenderKeyDistribution> DecodeSenderKeyDistribution(ByteView control);

// A membership change (DESIGN.md "Groups"). `accounts`: for kCreate the
// members besides the creator, for kAdd / kRemove / kMakeAdmin the accounts
// named (1..kMaxGroupChangeAccounts, distinct); empty for kLeave and
// kRename. `name` for kCreate and kRename; `avatar` for kCreate.
enum class GroupChangeKind : uint8_t { kCreate, kAdd, kRemove, kLeave, kRename, kMakeAdmin };
using GroupChangeDigest = std::array<uint8_t, 32>;

struct GroupChange {
  crypto::GroupId group;
  std::string author;                  // the member making it (checked by every member)
  uint32_t epoch;                      // the epoch it creates; 1 for kCreate
  GroupChangeDigest previous_change;   // zeros for kCreate
  GroupChangeKind kind;
  std::string name;
  Bytes avatar;
  std::vector<std::string> accounts;
};

// The serialized GroupControl. Encoder and decoder check the same rules:
// epoch >= 1, and 1 with a zero previous change exactly for kCreate; names
// 1..kMaxGroupNameBytes of UTF-8 without a control character
// (kFieldOutOfRange); avatar at most kMaxGroupAvatarBytes; every account
// valid (kInvalidAccount) and listed once (kFieldOutOfRange); the canonical
// encoding (kMalformed).
Result<Bytes> EncodeGroupChange(const GroupChange& change);
Result<GroupChange> DecodeGroupChange(ByteView control);
// What an admin sends a member it added (and only it): the group as of the
// add. `members` sorted by account, each once, 2..kMaxGroupMembers, the
// author an admin among them.
struct GroupWelcomeMember {
  std::string account;
  bool admin;
  friend bool operator==(const GroupWelcomeMember&, const GroupWelcomeMember&) = default;
};
struct GroupWelcome {
  crypto::GroupId group;
  std::string author;
  uint32_t epoch;  // >= 2: a welcome follows an add
  GroupChangeDigest last_change;
  std::string name;
  Bytes avatar;
  std::vector<GroupWelcomeMember> members;
  // The encoded add (a GroupChange) that made `epoch`: by `author`, for
  // this group, at `epoch`, its digest `last_change` (checked by the
  // decoder; that it names the new member, by the member).
  Bytes add;
};
// The serialized GroupControl; the rules above, a name and picture as in a
// creation, and kMessageTooLarge if it does not fit one pairwise message
// (kMaxContentBytes: about a thousand members with short names).
Result<Bytes> EncodeGroupWelcome(const GroupWelcome& welcome);
Result<GroupWelcome> DecodeGroupWelcome(ByteView control);

// Which GroupControl a Frame's content is: a GroupControl's first field is
// 16, 17 or 18, never Content's 1.
enum class GroupControlKind : uint8_t { kSenderKeyDistribution, kChange, kWelcome };
std::optional<GroupControlKind> GroupControlKindOf(ByteView content);

// Whether a Frame's content is a GroupControl rather than a Content, and
// the check that it is a valid one (its decoder accepts it).
bool IsGroupControl(ByteView content);
Result<void> CheckGroupControl(ByteView content);

// A GroupControl checked once (kMalformed unless IsGroupControl, then
// CheckGroupControl's errors), to send to many members: a rekey sends one
// distribution over up to 1,022 pairwise sessions.
class CheckedGroupControl {
 public:
  static Result<CheckedGroupControl> From(ByteView control);
  ByteView bytes() const { return bytes_.Expose(); }

 private:
  explicit CheckedGroupControl(SecretBytes b) : bytes_(std::move(b)) {}
  SecretBytes bytes_;  // a distribution holds keys
};

// BLAKE2b-256 of an encoded change: what the next change names as its
// previous one, and the tie-break between two changes for one epoch.
GroupChangeDigest DigestGroupChange(ByteView encoded);

}  // namespace candor::protocol

#endif  // CANDOR_PROTOCOL_GROUP_WIRE_H_
