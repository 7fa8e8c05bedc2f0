#include "group_party.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "candor/group/group_message.h"
#include "candor/group/group_state.h"
#include "candor/group/sender_key_ring.h"
#include "fuzz_check.h"

namespace candor::fuzz {
namespace {

constexpr uint64_t kNow = 1'750'000'000;
const char* const kNames[] = {"alice", "bob", "carol", "dave"};

struct Device {
  std::string name;
  crypto::Ed25519KeyPair identity;
  std::optional<group::GroupState> state;
  std::optional<group::SenderKeyRing> ring;
  bool departed = false;
};

// One group message in flight to one recipient.
struct Copy {
  size_t id;  // the send it belongs to
  std::string from, to;
  Bytes message;
  crypto::FrankingCommitment commitment;
  bool delivered = false;  // delivered or dropped: out of the queue
  bool attempted = false;  // delivered (the recipient tried to open it)
};

class Run {
 public:
  Run() : rng_(2031) {
    for (const char* n : kNames) {
      devices_.emplace(n, Device{n, crypto::Ed25519KeyPair::Generate(rng_), {}, {}, false});
    }
    crypto::GroupId id{};
    rng_.Fill(id);
    auto created = group::GroupState::Create("alice", id, "fuzz", {}, {"bob", "carol", "dave"});
    CANDOR_FUZZ_CHECK(created.has_value());
    D("alice").state.emplace(std::move(created->first));
    for (const char* n : {"bob", "carol", "dave"}) {
      auto joined = group::GroupState::Join(n, "alice", created->second);
      CANDOR_FUZZ_CHECK(joined.has_value());
      D(n).state.emplace(std::move(joined).value());
    }
    for (const char* n : kNames) D(n).ring.emplace(id);
  }

  void Step(uint8_t action, uint8_t arg) {
    const std::string who = kNames[arg % 4];
    switch (action % 8) {
      case 0: case 1: Send(who); break;
      case 2: case 3: Deliver(arg, false); break;
      case 4: Drop(arg); break;
      case 5: Deliver(arg, true); break;  // tampered
      case 6: Redeliver(arg); break;
      case 7: Depart(who, arg & 0x80); break;
    }
    CheckViewsAgree();
  }

 private:
  Device& D(const std::string& n) { return devices_.at(n); }

  void Send(const std::string& from) {
    Device& s = D(from);
    const std::vector<std::string> to = Others(s);
    auto sending = s.ring->KeyForSending(s.state->current().epoch, from, s.identity.public_key(),
                                         rng_);
    CANDOR_FUZZ_CHECK(sending.has_value());
    auto& key = *sending;
    if (key.distribution && !s.departed) {
      for (const std::string& r : to) {
        auto accepted = D(r).ring->Accept(*D(r).state, from, s.identity.public_key(),
                                          *key.distribution);
        CANDOR_FUZZ_CHECK(accepted.has_value());
      }
    }
    const size_t id = next_id_++;
    auto out = group::EncryptGroupText(*key.key, s.identity.public_key(), from,
                                       "message " + std::to_string(id), rng_);
    CANDOR_FUZZ_CHECK(out.has_value());
    // The recipients the sender's view names; and, as a colluding relay
    // would, every departed device gets a copy too.
    for (const char* n : kNames) {
      if (n == from) continue;
      const bool addressed = std::find(to.begin(), to.end(), n) != to.end();
      if (!addressed && !D(n).departed) continue;
      copies_.push_back(Copy{id, from, n, out->message, out->franking_commitment, false});
      if (addressed && !s.departed) expected_.insert({id, n});
    }
  }

  std::vector<std::string> Others(const Device& s) const {
    std::vector<std::string> out;
    for (const auto& m : s.state->current().members) {
      if (m.account != s.name) out.push_back(m.account);
    }
    return out;
  }

  Result<std::string> Open(Device& r, const Copy& c, ByteView message) {
    if (!r.state->IsMember(c.from)) return Error(Errc::kWrongPeer, "not a member");
    CANDOR_ASSIGN_OR_RETURN(uint32_t kid, crypto::GroupMessageKid(message));
    const crypto::MemberSenderKey* key = r.ring->Find(c.from, kid);
    if (key == nullptr) return Error(Errc::kInvalidKey, "no key");
    CANDOR_ASSIGN_OR_RETURN(auto in, group::DecryptGroupText(*key, D(c.from).identity.public_key(),
                                                             c.from, c.commitment,
                                                             message, kNow));
    CANDOR_RETURN_IF_ERROR(r.ring->Commit(c.from, std::move(in.next)));
    return in.text;
  }

  void Deliver(uint8_t arg, bool tamper) {
    std::vector<size_t> pending;
    for (size_t i = 0; i < copies_.size(); ++i) {
      if (!copies_[i].delivered) pending.push_back(i);
    }
    if (pending.empty()) return;
    Copy& c = copies_[pending[arg % pending.size()]];
    Device& r = D(c.to);
    Bytes message = c.message;
    if (tamper) {
      message[arg % message.size()] ^= static_cast<uint8_t>(1 + (arg >> 3));
      // The key the genuine message names: its iteration must not move.
      auto iteration = [&]() -> int64_t {
        const crypto::MemberSenderKey* k = r.ring->Find(c.from, *crypto::GroupMessageKid(c.message));
        return k == nullptr ? -1 : int64_t{k->chain.iteration};
      };
      const int64_t before = iteration();
      CANDOR_FUZZ_CHECK(!Open(r, c, message).has_value());
      CANDOR_FUZZ_CHECK(iteration() == before);
      return;
    }
    c.delivered = true;
    c.attempted = true;
    auto text = Open(r, c, message);
    const bool expected = expected_.count({c.id, c.to}) > 0;
    if (text.has_value()) {
      // Only what was addressed to it, and the text sent.
      CANDOR_FUZZ_CHECK(expected);
      CANDOR_FUZZ_CHECK(*text == "message " + std::to_string(c.id));
      CANDOR_FUZZ_CHECK(received_.insert({c.id, c.to}).second);
    } else {
      // A message addressed to a current member is refused only when its
      // sender departed since, or the member's key for it is gone with one.
      CANDOR_FUZZ_CHECK(!expected || r.departed || D(c.from).departed ||
                        received_.count({c.id, c.to}) > 0);
    }
  }

  // A copy delivered before comes again: refused (a duplicate, or still
  // not for this device).
  void Redeliver(uint8_t arg) {
    std::vector<size_t> done;
    for (size_t i = 0; i < copies_.size(); ++i) {
      if (copies_[i].attempted) done.push_back(i);
    }
    if (done.empty()) return;
    Copy& c = copies_[done[arg % done.size()]];
    CANDOR_FUZZ_CHECK(!Open(D(c.to), c, c.message).has_value());
  }

  void Drop(uint8_t arg) {
    std::vector<size_t> pending;
    for (size_t i = 0; i < copies_.size(); ++i) {
      if (!copies_[i].delivered) pending.push_back(i);
    }
    if (!pending.empty()) copies_[pending[arg % pending.size()]].delivered = true;
  }

  // alice removes `who`, or `who` leaves (never alice: she is the admin).
  void Depart(const std::string& who, bool leave) {
    if (who == "alice" || D(who).departed) return;
    Device& author = leave ? D(who) : D("alice");
    auto change = leave ? author.state->Issue(protocol::GroupChangeKind::kLeave, {})
                        : author.state->Issue(protocol::GroupChangeKind::kRemove, {who});
    CANDOR_FUZZ_CHECK(change.has_value());
    author.ring->Depart({who});
    for (const char* n : kNames) {
      Device& d = D(n);
      if (n == author.name || d.departed) continue;
      auto outcome = d.state->Apply(author.name, *change);
      CANDOR_FUZZ_CHECK(outcome.has_value());
      CANDOR_FUZZ_CHECK(outcome->departed == std::vector<std::string>{who});
      d.ring->Depart(outcome->departed);
    }
    D(who).departed = true;
    CANDOR_FUZZ_CHECK(!D(who).state->active());
  }

  void CheckViewsAgree() {
    const group::GroupSnapshot& a = D("alice").state->current();
    for (const char* n : kNames) {
      if (!D(n).departed) CANDOR_FUZZ_CHECK(D(n).state->current() == a);
    }
  }

  crypto::InsecureDeterministicRandom rng_;
  std::map<std::string, Device> devices_;
  std::vector<Copy> copies_;
  std::set<std::pair<size_t, std::string>> expected_, received_;
  size_t next_id_ = 0;
};

}  // namespace

void FuzzGroupParty(const uint8_t* data, size_t size) {
  if (size > 400) return;  // bounded work per input
  Run run;
  for (size_t i = 0; i + 1 < size; i += 2) run.Step(data[i], data[i + 1]);
}

}  // namespace candor::fuzz
