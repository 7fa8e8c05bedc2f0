#include "two_party.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "candor/crypto/limits.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/device_store.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/memory_store.h"
#include "candor/protocol/relay.h"
#include "candor/protocol/sealed_check.h"
#include "candor/report/report.h"
#include "candor/report/verifier.h"
#include "fuzz_check.h"

namespace candor::fuzz {
namespace {

using namespace candor::protocol;

constexpr size_t kMaxSteps = 256;
// At most kMaxSteps sends, so every gap (undelivered or dropped messages)
// stays far inside kMaxSkip and kMaxSkippedKeys; the bound on undelivered
// messages only keeps the state small.
constexpr size_t kMaxInFlight = 32;
constexpr uint64_t kNow = 1'800'000'000;
constexpr size_t kMaxReports = 3;
// Each party's moderation tokens: few, so that runs use them up (a sealed
// send without one is not made, as a Client refuses it).
constexpr size_t kTokensPerParty = 6;

struct InFlight {
  Bytes envelope;
  std::string text;
  bool delivered = false;
  // Sent sealed: the token's one-use key. A second message under the same
  // key (a modified sender) is refused once the first was received.
  std::optional<crypto::Ed25519PublicKey> token;
};

struct Token {
  crypto::ModerationToken token;
  crypto::Ed25519KeyPair one_use;
};

struct Party {
  std::string account;
  crypto::Ed25519KeyPair identity;
  MemoryStore store;
  std::vector<InFlight> outbox;  // sent by this party
  size_t received = 0;           // first deliveries that succeeded
  std::vector<Token> tokens = {};          // unused, for sealed sends
  std::optional<Token> last_used = std::nullopt;  // for a reuse
  std::vector<crypto::Ed25519PublicKey> tokens_received = {};  // from the peer, accepted
};

// Serialized session (or empty) and history length: the store's state, as
// far as a refused delivery could have touched it.
struct Snapshot {
  std::optional<SecretBytes> session;
  size_t history;
  bool operator==(const Snapshot& other) const {
    return history == other.history && session.has_value() == other.session.has_value() &&
           (!session || *session == *other.session);
  }
};

Snapshot Take(Party& p, const std::string& peer) {
  auto s = p.store.LoadSession(peer);
  CANDOR_FUZZ_CHECK(s.has_value());
  std::optional<SecretBytes> bytes;
  if (*s) bytes = (*s)->Serialize();
  auto history = p.store.LatestMessages(peer, 100000, kNow);
  CANDOR_FUZZ_CHECK(history.has_value());
  return Snapshot{std::move(bytes), history->size()};
}


class Run {
 public:
  Run() {
    alice_.emplace(Party{"alice", crypto::Ed25519KeyPair::Generate(rng_), {}, {}, 0});
    bob_.emplace(Party{"bob", crypto::Ed25519KeyPair::Generate(rng_), {}, {}, 0});
    const auto spk = crypto::X25519KeyPair::Generate(rng_);
    const auto opk = crypto::X25519KeyPair::Generate(rng_);
    const auto sig = crypto::SignSignedPrekey(bob_->identity, 1, spk.public_key());
    CANDOR_FUZZ_CHECK(bob_->store.SaveSignedPrekey(1, spk, sig, kNow).has_value());
    CANDOR_FUZZ_CHECK(bob_->store.SaveOneTimePrekey(2, opk).has_value());
    // PQXDH, as every new session: a last-resort and a one-time ML-KEM
    // prekey. Alice's first messages carry the ciphertext, so Tamper and
    // the replays reach the ML-KEM fields too.
    CANDOR_FUZZ_CHECK(bob_->store.SaveIdentity("bob", bob_->identity, kNow).has_value());
    const auto pq_spk = crypto::MlKem768KeyPair::Generate(rng_);
    const auto pq_opk = crypto::MlKem768KeyPair::Generate(rng_);
    const auto pq_sig = crypto::SignPqPrekey(bob_->identity, crypto::PqPrekeyKind::kLastResort, 1,
                                             pq_spk.public_key());
    CANDOR_FUZZ_CHECK(bob_->store.RotatePqSignedPrekey(1, pq_spk, pq_sig, kNow).has_value());
    auto pq_opk_id = bob_->store.AddPqOneTimePrekey(pq_opk);
    CANDOR_FUZZ_CHECK(pq_opk_id.has_value());
    bundle_.emplace(crypto::PrekeyBundle{
        "bob", bob_->identity.public_key(), 1, spk.public_key(), sig, 2, opk.public_key(),
        crypto::SignedPqPrekey{1, pq_spk.public_key(), pq_sig},
        crypto::SignedPqPrekey{*pq_opk_id, pq_opk.public_key(),
                               crypto::SignPqPrekey(bob_->identity, crypto::PqPrekeyKind::kOneTime,
                                                    *pq_opk_id, pq_opk.public_key())}});
    // Sealed sender: both pin the same directory and service; each has a
    // certificate and a few tokens.
    for (Party* p : {&*alice_, &*bob_}) {
      auto cert = crypto::IssueSenderCertificate(directory_, p->account, p->identity.public_key(),
                                                 kNow + 86'400);
      CANDOR_FUZZ_CHECK(cert.has_value());
      certificates_.push_back(std::move(cert).value());
      for (size_t i = 0; i < kTokensPerParty; ++i) {
        auto one_use = crypto::Ed25519KeyPair::Generate(rng_);
        auto token = crypto::IssueModerationToken(*token_key_, token_signing_, p->account, kNow,
                                                  one_use.public_key(), kNow + 86'400, rng_);
        CANDOR_FUZZ_CHECK(token.has_value());
        p->tokens.push_back(Token{std::move(token).value(), std::move(one_use)});
      }
      box_keys_.push_back(p->identity.ToX25519());
    }
  }

  void Step(uint8_t action, uint8_t arg) {
    Party& a = *alice_;
    Party& b = *bob_;
    switch (action % 13) {
      case 0: case 1: Send(a, b); break;
      case 2: Send(b, a); break;
      case 3: case 4: Deliver(a, b, arg); break;  // Alice's message to Bob
      case 5: Deliver(b, a, arg); break;
      case 6: Drop(arg % 2 == 0 ? a : b, arg / 2); break;
      case 7: Tamper(arg % 2 == 0 ? a : b, arg % 2 == 0 ? b : a, arg); break;
      case 8: CrashMidDelivery(arg % 2 == 0 ? a : b, arg % 2 == 0 ? b : a, arg / 2); break;
      case 9: Report(arg % 2 == 0 ? b : a, arg % 2 == 0 ? a : b, arg / 2); break;
      case 10: PurgeReplayMarkers(); break;
      case 11: Send(arg % 2 == 0 ? a : b, arg % 2 == 0 ? b : a, Sealing::kSealed); break;
      case 12: Send(arg % 2 == 0 ? a : b, arg % 2 == 0 ? b : a, Sealing::kReuseToken); break;
    }
  }

  void Finish() {
    // A party's history holds what it sent and every first delivery it
    // received, nothing else.
    CANDOR_FUZZ_CHECK(Take(*bob_, "alice").history == bob_->received + Sent(*bob_));
    CANDOR_FUZZ_CHECK(Take(*alice_, "bob").history == alice_->received + Sent(*alice_));
  }

 private:
  // Messages a party sent (its own copies are in its history too).
  size_t Sent(const Party& p) const { return sent_count_[&p == &*alice_ ? 0 : 1]; }
  size_t Index(const Party& p) const { return &p == &*alice_ ? 0 : 1; }

  // kReuseToken: a modified sender signs with the token it used last.
  enum class Sealing { kUnsealed, kSealed, kReuseToken };

  // What `to` receives sealed messages with.
  SealedReceiver ReceiverOf(const Party& to) const {
    return SealedReceiver{{directory_.public_key(), token_signing_.public_key()},
                          box_keys_[Index(to)]};
  }

  Result<ReceivedMessage> Receive(Party& to, const Delivery& d) {
    const SealedReceiver sealed = ReceiverOf(to);
    return ReceiveAndStore(to.store, to.identity, to.account, d, kNow, rng_, nullptr, &sealed);
  }

  void Send(Party& from, Party& to, Sealing sealing = Sealing::kUnsealed) {
    std::optional<Token> token;
    if (sealing == Sealing::kSealed) {
      if (from.tokens.empty()) return;  // used up: no sealed send
      token.emplace(Token{from.tokens.back().token, from.tokens.back().one_use.Clone()});
    } else if (sealing == Sealing::kReuseToken) {
      if (!from.last_used) return;
      token.emplace(Token{from.last_used->token, from.last_used->one_use.Clone()});
    }
    size_t undelivered = 0;
    for (const InFlight& m : from.outbox) undelivered += m.delivered ? 0 : 1;
    if (undelivered >= kMaxInFlight) return;
    auto stored = from.store.LoadSession(to.account);
    CANDOR_FUZZ_CHECK(stored.has_value());
    std::optional<Session> session = std::move(stored).value();
    if (!session) {
      if (&from != &*alice_) return;  // Bob can only answer
      auto created = Session::Initiate(from.identity, from.account, *bundle_, rng_);
      CANDOR_FUZZ_CHECK(created.has_value());
      session.emplace(std::move(created).value());
    }
    const std::string text = from.account + " #" + std::to_string(counter_++);
    Result<OutgoingMessage> out = Error(Errc::kInternal, "not sent");
    if (token) {
      auto content = EncodeContent(text);
      CANDOR_FUZZ_CHECK(content.has_value());
      out = session->EncryptSealed(
          std::move(content).value(),
          SealedCredential{certificates_[Index(from)], token->token, token->one_use}, rng_);
    } else {
      out = session->Encrypt(text, rng_);
    }
    if (!out) {  // only a responder that has not received yet cannot send
      CANDOR_FUZZ_CHECK(out.error().code() == Errc::kInvalidState);
      return;
    }
    CANDOR_FUZZ_CHECK(from.store.CommitSent(*session, *out, kNow).has_value());
    std::optional<crypto::Ed25519PublicKey> used;
    if (token) {
      used = token->token.one_use_key;
      if (sealing == Sealing::kSealed) {
        from.last_used.emplace(Token{token->token, token->one_use.Clone()});
        from.tokens.pop_back();
      }
    }
    from.outbox.push_back(InFlight{std::move(out->envelope), text, false, used});
    ++sent_count_[&from == &*alice_ ? 0 : 1];
  }

  // Through the reference relay, so relay tags are real and reports can
  // verify; the sender stores the acknowledgement when the first delivery
  // succeeds.
  Relayed Relay(const Bytes& envelope) {
    auto r = RelayEnvelope(*relay_key_, envelope, kNow);
    CANDOR_FUZZ_CHECK(r.has_value());
    return std::move(r).value();
  }
  static Delivery AsDelivery(const Relayed& r) {
    auto d = DecodeDelivery(r.delivery);
    CANDOR_FUZZ_CHECK(d.has_value());
    return std::move(d).value();
  }

  void Deliver(Party& from, Party& to, uint8_t pick) {
    if (from.outbox.empty()) return;
    InFlight& m = from.outbox[pick % from.outbox.size()];
    const Snapshot before = Take(to, from.account);
    const Relayed relayed = Relay(m.envelope);
    auto r = Receive(to, AsDelivery(relayed));
    const bool reused =
        m.token && std::find(to.tokens_received.begin(), to.tokens_received.end(), *m.token) !=
                       to.tokens_received.end();
    if (!m.delivered && reused) {
      // A second message under a token this sender used: refused, nothing
      // stored (the session may not have moved either).
      CANDOR_FUZZ_CHECK(!r.has_value() && r.error().code() == Errc::kTokenReused);
      CANDOR_FUZZ_CHECK(Take(to, from.account) == before);
      return;
    }
    if (m.delivered) {
      // Without its replay marker the ratchet refuses it on its own: the
      // message key is gone (kDuplicateMessage), or the chain's header key
      // with it (kHeaderDecryptFailed).
      CANDOR_FUZZ_CHECK(!r.has_value());
      CANDOR_FUZZ_CHECK(r.error().code() == Errc::kDuplicateMessage ||
                        (markers_purged_ && r.error().code() == Errc::kHeaderDecryptFailed));
      CANDOR_FUZZ_CHECK(Take(to, from.account) == before);
      return;
    }
    CANDOR_FUZZ_CHECK(r.has_value());
    auto stored = to.store.MessageById(r->message_id, kNow);
    CANDOR_FUZZ_CHECK(stored.has_value() && stored->has_value());
    auto text = DecodeContentText((*stored)->content);
    CANDOR_FUZZ_CHECK(text.has_value() && *text == m.text);
    m.delivered = true;
    if (m.token) to.tokens_received.push_back(*m.token);
    ++to.received;
    CANDOR_FUZZ_CHECK(from.store.SaveRelayAck(*DecodeRelayAck(relayed.ack)).has_value());
  }

  // The process dies inside a delivery, after the receive path wrote but
  // before the commit: after the restart the store is as before, and the
  // message is still deliverable (a later Deliver must succeed).
  void CrashMidDelivery(Party& from, Party& to, uint8_t pick) {
    if (from.outbox.empty()) return;
    InFlight& m = from.outbox[pick % from.outbox.size()];
    const Snapshot before = Take(to, from.account);
    const Relayed relayed = Relay(m.envelope);
    auto crashed = to.store.InTransaction([&]() -> Result<void> {
      (void)Receive(to, AsDelivery(relayed));
      return Error(Errc::kStorageFailed, "killed before the commit");
    });
    CANDOR_FUZZ_CHECK(!crashed.has_value());
    CANDOR_FUZZ_CHECK(Take(to, from.account) == before);
  }

  // `reporter` reports a message of its history with `peer`: the window is
  // at most five, in history order, ending at that message; submit accepts
  // its own preview; the moderator opens it and never says "forged" for a
  // real message; incoming messages (relay-tagged) verify.
  void Report(Party& reporter, Party& peer, uint8_t pick) {
    // Sealing and verifying cost ~0.3 ms under the sanitizers: a few reports
    // per run exercise the path without slowing the rest of the search.
    if (reports_ >= kMaxReports) return;
    ++reports_;
    auto history = reporter.store.LatestMessages(peer.account, 100000, kNow);
    CANDOR_FUZZ_CHECK(history.has_value());
    if (history->empty()) return;
    const size_t index = pick % history->size();
    const StoredMessage& target = (*history)[index];
    auto preview = report::PrepareReport(reporter.store, reporter.account, peer.account, target.id,
                                         ReportReason::kOther, kNow);
    CANDOR_FUZZ_CHECK(preview.has_value());
    const size_t expected = std::min<size_t>(kReportWindow, index + 1);
    CANDOR_FUZZ_CHECK(preview->message_ids.size() == expected);
    for (size_t i = 0; i < expected; ++i) {
      CANDOR_FUZZ_CHECK(preview->message_ids[i] == (*history)[index + 1 - expected + i].id);
    }
    const size_t logged = reporter.store.ListReports()->size();
    auto submitted = report::SubmitReport(reporter.store, reporter.account, *preview,
                                          moderator_->public_key(), kNow);
    CANDOR_FUZZ_CHECK(submitted.has_value());
    CANDOR_FUZZ_CHECK(reporter.store.ListReports()->size() == logged + 1);
    const report::Verifier verifier(
        moderator_->Clone(), relay_key_->Clone(),
        report::SealedModerationKeys{directory_.public_key(), token_signing_.public_key(),
                                     token_key_->Clone()});
    auto verified = verifier.Verify(submitted->sealed);
    CANDOR_FUZZ_CHECK(verified.has_value() && verified->messages.size() == expected);
    for (size_t i = 0; i < expected; ++i) {
      const auto& v = verified->messages[i];
      const auto& stored = (*history)[index + 1 - expected + i];
      CANDOR_FUZZ_CHECK(v.verdict != report::Verdict::kForged);
      CANDOR_FUZZ_CHECK(v.text == *DecodeContentText(stored.content));
      if (stored.direction == Direction::kIncoming) {
        CANDOR_FUZZ_CHECK(v.verdict == report::Verdict::kVerified);
      }
    }
  }

  // The stores' upkeep a month on: every replay marker so far (all stamped
  // kNow) is past kReplayMarkerSeconds and deleted. Redeliveries must still
  // be refused and change nothing (Deliver, CrashMidDelivery).
  void PurgeReplayMarkers() {
    for (Party* p : {&*alice_, &*bob_}) {
      auto purged = p->store.PurgeExpired(kNow + kReplayMarkerSeconds);
      CANDOR_FUZZ_CHECK(purged.has_value() && *purged == 0);  // no message expires here
    }
    markers_purged_ = true;
  }

  void Drop(Party& from, uint8_t pick) {
    if (from.outbox.empty()) return;
    from.outbox.erase(from.outbox.begin() + static_cast<long>(pick % from.outbox.size()));
  }

  void Tamper(Party& from, Party& to, uint8_t pick) {
    if (from.outbox.empty()) return;
    Bytes bad = from.outbox[pick % from.outbox.size()].envelope;
    bad[(pick * 131u + 7u) % bad.size()] ^= static_cast<uint8_t>(1u << (pick % 8));
    auto env = DecodeEnvelope(bad);
    if (!env) return;  // refused before any store access
    const Snapshot before = Take(to, from.account);
    auto r = Receive(to, Delivery{bad, std::move(env).value(), kNow, crypto::RelayTag{}});
    CANDOR_FUZZ_CHECK(!r.has_value());
    CANDOR_FUZZ_CHECK(Take(to, from.account) == before);
  }

  crypto::InsecureDeterministicRandom rng_{1};
  std::optional<crypto::RelayKey> relay_key_{crypto::GenerateRelayKey(rng_)};
  std::optional<crypto::X25519KeyPair> moderator_{crypto::X25519KeyPair::Generate(rng_)};
  crypto::Ed25519KeyPair directory_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::Ed25519KeyPair token_signing_ = crypto::Ed25519KeyPair::Generate(rng_);
  std::optional<crypto::TokenKey> token_key_{crypto::GenerateTokenKey(rng_)};
  std::vector<crypto::SenderCertificate> certificates_;  // alice's, bob's
  std::vector<crypto::X25519KeyPair> box_keys_;          // alice's, bob's
  std::optional<Party> alice_, bob_;
  std::optional<crypto::PrekeyBundle> bundle_;
  size_t sent_count_[2] = {0, 0};
  size_t reports_ = 0;
  uint64_t counter_ = 0;
  bool markers_purged_ = false;
};

}  // namespace

void FuzzTwoParty(const uint8_t* data, size_t size) {
  Run run;
  for (size_t i = 0; i + 1 < size && i / 2 < kMaxSteps; i += 2) run.Step(data[i], data[i + 1]);
  run.Finish();
}

}  // namespace candor::fuzz
