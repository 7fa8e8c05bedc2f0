// Private to report/: the moderator's judgement of one message sent sealed
// (verifier.h describes the rule), once the commitment has opened and the
// message carries the relay's time and tag.
#ifndef CANDOR_REPORT_SRC_SEALED_VERDICT_H_
#define CANDOR_REPORT_SRC_SEALED_VERDICT_H_

#include "candor/crypto/franking.h"
#include "candor/protocol/report_wire.h"
#include "candor/report/verifier.h"

namespace candor::report::internal {

// Sets v.verdict, v.why and v.token_account; `keys` null: unverifiable.
void JudgeSealed(const protocol::ReportedMessage& m, const protocol::ReportBundle& bundle,
                 const crypto::RelayKey& relay_key, const SealedModerationKeys* keys,
                 VerifiedMessage& v);

}  // namespace candor::report::internal

#endif  // CANDOR_REPORT_SRC_SEALED_VERDICT_H_
