#include "group_clients.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "candor/client/client.h"
#include "candor/protocol/relay.h"
#include "candor/report/verifier.h"
#include "fuzz_check.h"

namespace candor::fuzz {
namespace {

namespace fs = std::filesystem;

const char* const kNames[] = {"alice", "bob", "carol", "dave"};

storage::StoreKey Key(size_t i) {
  SecretArray<32> k;
  for (auto& b : k.Expose()) b = static_cast<uint8_t>(0x40 + i);
  return storage::StoreKey::Raw(std::move(k));
}

// The world every input starts from, made once per process: four devices
// with sessions between every pair, and alice's group with bob and carol
// (dave is outside). Each input copies the stores and plays on the copy.
struct Template {
  fs::path dir;
  crypto::GroupId group{};
  crypto::RelayKey relay_key;
  crypto::X25519KeyPair moderator;

  Template()
      : dir(fs::temp_directory_path() / ("candor-fuzz-clients-" + std::to_string(::getpid()))),
        relay_key(crypto::GenerateRelayKey(Rng())),
        moderator(crypto::X25519KeyPair::Generate(Rng())) {
    fs::remove_all(dir);
    fs::create_directories(dir / "template");
    std::vector<client::Client> c;
    for (size_t i = 0; i < 4; ++i) {
      auto made = client::Client::Create((dir / "template" / (std::string(kNames[i]) + ".db")).string(),
                                         Key(i), kNames[i], Rng(), Clock());
      CANDOR_FUZZ_CHECK(made.has_value());
      c.push_back(std::move(made).value());
    }
    for (size_t a = 0; a < 4; ++a) {
      for (size_t b = a + 1; b < 4; ++b) {
        auto bundle = c[b].PublishBundle();
        CANDOR_FUZZ_CHECK(bundle.has_value());
        auto sent = c[a].Send(kNames[b], "hello", ByteView(bundle->bytes));
        CANDOR_FUZZ_CHECK(sent.has_value());
        auto relayed = protocol::RelayEnvelope(relay_key, sent->envelope.bytes, 1'750'000'000);
        CANDOR_FUZZ_CHECK(relayed.has_value() && c[b].Receive(relayed->delivery).has_value());
      }
    }
    auto created = c[0].CreateGroup("fuzz", {}, {"bob", "carol"});
    CANDOR_FUZZ_CHECK(created.has_value());
    group = created->group;
    for (const auto& item : created->envelopes) {
      auto relayed = protocol::RelayEnvelope(relay_key, item.bytes, 1'750'000'001);
      CANDOR_FUZZ_CHECK(relayed.has_value());
      const size_t to = relayed->envelope.recipient == "bob" ? 1 : 2;
      CANDOR_FUZZ_CHECK(c[to].Receive(relayed->delivery).has_value());
    }
  }
  ~Template() { fs::remove_all(dir); }

  static crypto::InsecureDeterministicRandom& Rng() {
    static crypto::InsecureDeterministicRandom rng(4077);
    return rng;
  }
  static client::ManualClock& Clock() {
    static client::ManualClock clock(1'750'000'000);
    return clock;
  }
};

Template& World() {
  static Template t;
  return t;
}

struct Sent {
  std::string from, text;
  std::set<std::string> to;  // the sender's other members when it sent
};

struct InFlight {
  std::string to;
  Bytes delivery;
};

class Play {
 public:
  explicit Play(const fs::path& dir) : dir_(dir) {
    Template& w = World();
    for (size_t i = 0; i < 4; ++i) {
      const std::string name = kNames[i];
      fs::copy_file(w.dir / "template" / (name + ".db"), dir_ / (name + ".db"));
      auto opened = client::Client::Open((dir_ / (name + ".db")).string(), Key(i),
                                         Template::Rng(), Template::Clock());
      CANDOR_FUZZ_CHECK(opened.has_value());
      clients_.emplace(name, std::move(opened).value());
    }
  }

  void Step(uint8_t action, uint8_t arg) {
    Template& w = World();
    const std::string who = kNames[arg % 4];
    client::Client& c = clients_.at(who);
    switch (action % 9) {
      case 0:
      case 1: {  // a group message
        auto info = c.Group(w.group);
        const std::string text = "m" + std::to_string(next_++);
        auto op = c.SendGroup(w.group, text);
        if (!op.has_value()) return;
        Sent s{who, text, {}};
        for (const auto& m : info->members) {
          if (m.account != who) s.to.insert(m.account);
        }
        sent_[text] = s;
        Queue(*op);
        return;
      }
      case 2:
      case 3: Deliver(arg, /*keep=*/false); return;
      case 4: Deliver(arg, /*keep=*/true); return;  // a duplicate stays in flight
      case 5:
        if (!flight_.empty()) flight_.erase(flight_.begin() + arg % flight_.size());  // dropped
        return;
      case 6: {  // alice removes or adds `who`
        auto info = clients_.at("alice").Group(w.group);
        if (!info.has_value() || who == "alice") return;
        bool member = false;
        for (const auto& m : info->members) member |= m.account == who;
        auto op = member ? clients_.at("alice").RemoveGroupMembers(w.group, {who})
                         : clients_.at("alice").AddGroupMembers(w.group, {who});
        if (op.has_value()) Queue(*op);
        return;
      }
      case 7: {  // `who` leaves
        auto op = c.LeaveGroup(w.group);
        if (op.has_value()) Queue(*op);
        return;
      }
      default:
        Report(who);
        return;
    }
  }

 private:
  void Queue(const client::GroupOperation& op) {
    Template& w = World();
    Template::Clock().Advance(1);
    for (const auto& item : op.envelopes) {
      auto r = protocol::RelayEnvelope(w.relay_key, item.bytes, Template::Clock().NowSeconds());
      CANDOR_FUZZ_CHECK(r.has_value());
      flight_.push_back({r->envelope.recipient, r->delivery});
    }
    if (!op.group_envelope) return;
    auto r = protocol::RelayGroupEnvelope(w.relay_key, op.group_envelope->bytes,
                                          Template::Clock().NowSeconds());
    CANDOR_FUZZ_CHECK(r.has_value());
    for (auto& [to, d] : r->deliveries) flight_.push_back({to, d});
    // The sender's copy becomes reportable.
    auto ack = protocol::DecodeRelayAck(r->ack);
    CANDOR_FUZZ_CHECK(ack.has_value());
    CANDOR_FUZZ_CHECK(clients_.at(ack->recipient).HandleAck(r->ack).has_value());
  }

  void Deliver(uint8_t arg, bool keep) {
    if (flight_.empty()) return;
    const size_t i = arg % flight_.size();
    const InFlight f = flight_[i];
    if (!keep) flight_.erase(flight_.begin() + i);
    auto r = clients_.at(f.to).Receive(f.delivery);
    if (!r.has_value() || !r->group_event.empty()) return;
    // A group message read: sent by its sender, to this member, once.
    auto it = sent_.find(r->text);
    CANDOR_FUZZ_CHECK(it != sent_.end() && it->second.from == r->from);
    CANDOR_FUZZ_CHECK(it->second.to.contains(f.to));  // a member when it was sent
    CANDOR_FUZZ_CHECK(read_.insert({f.to, r->text}).second);  // once
    // ... and from a member of this device's view now (a departed sender's
    // messages are refused once its departure is applied here).
    auto info = clients_.at(f.to).Group(World().group);
    CANDOR_FUZZ_CHECK(info.has_value());
    bool listed = false;
    for (const auto& m : info->members) listed |= m.account == r->from;
    CANDOR_FUZZ_CHECK(listed);
  }

  // `who` reports the newest message of the group it holds: an honest
  // report is never forged, and nothing it verifies was not sent so.
  void Report(const std::string& who) {
    Template& w = World();
    client::Client& c = clients_.at(who);
    auto history = c.GroupHistory(w.group, 1);
    if (!history.has_value() || history->empty()) return;
    auto preview = c.PrepareGroupReport(w.group, history->back().id, protocol::ReportReason::kSpam);
    if (!preview.has_value()) return;  // this device's own message
    auto submitted = c.SubmitReport(*preview, w.moderator.public_key());
    CANDOR_FUZZ_CHECK(submitted.has_value());
    const report::Verifier verifier(w.moderator.Clone(), w.relay_key.Clone());
    auto v = verifier.Verify(submitted->report.bytes);
    CANDOR_FUZZ_CHECK(v.has_value());
    CANDOR_FUZZ_CHECK(v->verdict != report::Verdict::kForged);
    for (const auto& m : v->messages) {
      if (m.verdict != report::Verdict::kVerified) continue;
      auto it = sent_.find(m.text);
      CANDOR_FUZZ_CHECK(it != sent_.end() && it->second.from == m.sender);
    }
  }

  fs::path dir_;
  std::map<std::string, client::Client> clients_;
  std::vector<InFlight> flight_;
  std::map<std::string, Sent> sent_;
  std::set<std::pair<std::string, std::string>> read_;
  size_t next_ = 0;
};

}  // namespace

void FuzzGroupClients(const uint8_t* data, size_t size) {
  // Bounded work per input: every step may write a store.
  size = std::min<size_t>(size, 64);
  Template& w = World();
  static size_t run = 0;
  const fs::path dir = w.dir / ("run" + std::to_string(run++));
  fs::create_directories(dir);
  {
    Play play(dir);
    for (size_t i = 0; i + 1 < size; i += 2) play.Step(data[i], data[i + 1]);
  }
  fs::remove_all(dir);
}

std::vector<std::vector<uint8_t>> GroupClientsSeeds() {
  // action, argument pairs: sends by each member, deliveries of everything,
  // a removal and an addition, a leave, reports.
  std::vector<std::vector<uint8_t>> seeds;
  seeds.push_back({0, 0, 2, 0, 2, 0, 2, 0, 2, 0, 8, 1, 0, 1, 2, 0, 2, 0, 2, 0, 8, 2});
  seeds.push_back({0, 0, 6, 2, 2, 0, 2, 0, 2, 0, 2, 0, 0, 0, 2, 0, 2, 0, 2, 0, 0, 2, 2, 0, 2, 0});
  seeds.push_back({6, 3, 2, 0, 2, 0, 2, 0, 2, 0, 0, 1, 2, 0, 2, 0, 2, 0, 2, 0, 0, 3, 2, 0, 2, 0,
                   2, 0, 2, 0, 8, 3});
  seeds.push_back({0, 0, 4, 0, 2, 0, 5, 1, 7, 2, 2, 0, 2, 0, 0, 1, 2, 0, 2, 0, 2, 0});
  return seeds;
}

}  // namespace candor::fuzz
