#include "bench_support.h"

#include <cstdio>
#include <cstdlib>

namespace candor::bench {

void Die(const Error& e) {
  std::fprintf(stderr, "bench: %s\n", e.message().c_str());
  std::abort();
}

namespace {

class Prekeys : public protocol::PrekeySource {
 public:
  Prekeys(const crypto::X25519KeyPair& spk, const crypto::X25519KeyPair& opk)
      : spk_(spk), opk_(opk) {}
  const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) override {
    return id == 1 ? &spk_ : nullptr;
  }
  const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) override {
    return id == 2 ? &opk_ : nullptr;
  }
  Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind, uint32_t) override {
    return nullptr;
  }
  Result<bool> PqRequired() override { return false; }
  Result<bool> LastResortUsed(const protocol::LastResortUse&) override { return false; }

 private:
  const crypto::X25519KeyPair& spk_;
  const crypto::X25519KeyPair& opk_;
};

}  // namespace

std::string Plaintext() {
  std::string text(kPlaintextBytes, ' ');
  // Five-letter words: the search index sees a message's words as it would.
  for (size_t i = 0; i < text.size(); ++i) {
    text[i] = i % 6 == 5 ? ' ' : static_cast<char>('a' + i % 26);
  }
  return text;
}

protocol::Delivery AsDelivery(Bytes envelope) {
  auto env = protocol::DecodeEnvelope(envelope);
  if (!env) Die(env.error());
  return protocol::Delivery{std::move(envelope), std::move(env).value(), 1'750'000'000,
                            crypto::RelayTag{}};
}

void SendOne(protocol::Session& from, protocol::Session& to, const std::string& text,
             crypto::RandomSource& rng) {
  auto out = from.Encrypt(text, rng);
  if (!out) Die(out.error());
  auto in = to.Decrypt(AsDelivery(std::move(out->envelope)), 1'750'000'000, rng);
  if (!in) Die(in.error());
}

EstablishedPair::EstablishedPair(const std::string& bob_account) {
  auto& rng = setup_rng;
  auto alice_id = crypto::Ed25519KeyPair::Generate(rng);
  auto bob_id = crypto::Ed25519KeyPair::Generate(rng);
  auto spk = crypto::X25519KeyPair::Generate(rng);
  auto opk = crypto::X25519KeyPair::Generate(rng);
  // The ratchet benchmarks measure messages, not the setup: a classical
  // one (session_setup_bench.cc compares X3DH and PQXDH).
  crypto::PrekeyBundle bundle{bob_account,    bob_id.public_key(),
                              1,              spk.public_key(),
                              crypto::SignSignedPrekey(bob_id, 1, spk.public_key()),
                              2,              opk.public_key(),
                              std::nullopt,   std::nullopt};
  auto a = protocol::Session::Initiate(alice_id, "alice", bundle, rng,
                                       crypto::ClassicalFallback::kAllow);
  if (!a) Die(a.error());
  alice.emplace(std::move(a).value());
  auto first = alice->Encrypt("hi", rng);
  if (!first) Die(first.error());
  Prekeys prekeys(spk, opk);
  auto accepted = protocol::Session::Accept(bob_id, bob_account, prekeys,
                                            AsDelivery(std::move(first->envelope)),
                                            1'750'000'000, rng);
  if (!accepted) Die(accepted.error());
  bob.emplace(std::move(accepted->first));
  SendOne(*bob, *alice, "hello", rng);
  alice_identity.emplace(std::move(alice_id));
  bob_identity.emplace(std::move(bob_id));
}

}  // namespace candor::bench
