#include "sealed_verdict.h"

#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/sealed_check.h"
#include "candor/protocol/sealed_wire.h"

namespace candor::report::internal {

void JudgeSealed(const protocol::ReportedMessage& m, const protocol::ReportBundle& bundle,
                 const crypto::RelayKey& relay_key, const SealedModerationKeys* keys,
                 VerifiedMessage& v) {
  v.verdict = Verdict::kForged;
  if (bundle.group) {
    // candor sends group messages unsealed (docs/sealed-sender.md): no
    // client made this one.
    v.why = "a sealed-sender proof on a group message: candor does not send those";
    return;
  }
  // The relay's word, in its sealed form: this commitment reached this
  // recipient at this time — not who sent it.
  if (!crypto::VerifySealedRelayTag(relay_key, m.commitment, m.recipient, m.server_time,
                                    *m.relay_tag).has_value()) {
    v.why = "the sealed relay tag does not match this commitment, recipient and time";
    return;
  }
  if (keys == nullptr) {
    v.verdict = Verdict::kUnverifiable;
    v.why = "sent sealed, and this verifier holds no directory and token keys to judge it";
    return;
  }
  auto proof = protocol::DecodeSealedProof(m.sealed_proof);
  if (!proof.has_value()) {
    v.why = "the sealed-sender proof does not decode: " + proof.error().message();
    return;
  }
  const protocol::SealedTrust trust{keys->directory, keys->token_signing};
  if (auto checked = protocol::VerifySealedProof(trust, *proof, m.commitment, m.server_time);
      !checked.has_value()) {
    v.why = "the sealed-sender proof fails: " + checked.error().message();
    return;
  }
  if (proof->certificate.account != m.sender) {
    v.why = "the sender certificate is " + proof->certificate.account +
            "'s, and the message claims " + m.sender;
    return;
  }
  auto owner = crypto::OpenModerationToken(keys->token_key, proof->token);
  if (!owner.has_value()) {
    v.why = "the moderation token does not open under this service's key";
    return;
  }
  v.token_account = owner->account;
  if (owner->account == m.sender) {
    v.verdict = Verdict::kVerified;
    v.why = "sealed: certificate, token, its signature over the commitment and the sealed relay "
            "tag check out, and the token is the sender's";
    return;
  }
  if (owner->account == bundle.reporter) {
    v.why = "the moderation token is the reporter's own while the message claims " + m.sender +
            " sent it: a message the reporter sent to themselves";
    return;
  }
  v.verdict = Verdict::kFlagged;
  v.why = "the moderation token belongs to " + owner->account + ", not to the certificate's " +
          m.sender + ": attributed to " + owner->account;
}

}  // namespace candor::report::internal
