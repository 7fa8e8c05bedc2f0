// A modified sender for tests: it puts any bytes in a Frame's `content`
// (empty, non-canonical, with control characters — what candor's own
// EncodeContent refuses), commits to them correctly and encrypts them
// through the ratchet, so only the recipient's content rules can refuse
// the message.
#ifndef CANDOR_TESTS_SUPPORT_CRAFTED_SENDER_H_
#define CANDOR_TESTS_SUPPORT_CRAFTED_SENDER_H_

#include "candor/crypto/bytes.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/session.h"

namespace candor::testing {

// An envelope (ratchet message) from `from`'s account to its peer holding
// `content` verbatim. It is encrypted through a copy of `from`'s ratchet:
// `from` itself does not advance, so its next genuine message reuses the
// crafted one's message key (which a recipient that refused it never used).
// With `proof`, the Frame carries it too (a sealed-sender proof in an
// unsealed message).
Result<Bytes> CraftEnvelope(const protocol::Session& from, ByteView content,
                            crypto::RandomSource& rng,
                            const protocol::SealedProof* proof = nullptr);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_CRAFTED_SENDER_H_
