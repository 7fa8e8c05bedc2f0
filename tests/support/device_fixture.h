// Devices over either DeviceStore (MemoryStore from protocol/, the
// SQLCipher Store from storage/), driven by real sessions: the fixture of
// the DeviceStore contract tests and the sealed receive tests.
#ifndef CANDOR_TESTS_SUPPORT_DEVICE_FIXTURE_H_
#define CANDOR_TESTS_SUPPORT_DEVICE_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "candor/crypto/x3dh.h"
#include "candor/protocol/memory_store.h"
#include "candor/storage/store.h"
#include "support/session_pair.h"
#include "support/temp_dir.h"

namespace candor::testing {

// The time the fixture's devices are made at.
inline constexpr uint64_t kNow = 1'760'000'000;

using protocol::DeviceStore;

struct MemoryFactory {
  static std::unique_ptr<DeviceStore> Make(const std::string&, crypto::RandomSource&) {
    return std::make_unique<protocol::MemoryStore>();
  }
};

struct SqlFactory {
  static std::unique_ptr<DeviceStore> Make(const std::string& path, crypto::RandomSource& rng) {
    SecretArray<32> k;
    rng.Fill(k.Expose());
    auto store = storage::Store::Create(path, storage::StoreKey::Raw(std::move(k)), rng);
    EXPECT_TRUE(store.has_value()) << store.error().message();
    return std::make_unique<storage::Store>(std::move(store).value());
  }
};

// A device: its store, identity and prekeys saved in that store.
struct Device {
  std::string account;
  std::unique_ptr<DeviceStore> store;
  crypto::Ed25519KeyPair identity;
  crypto::X25519KeyPair spk;
  uint32_t next_opk = 10;
  // The signed ML-KEM prekey MakeDevice stored (nullopt: a device from
  // before PQXDH).
  std::optional<crypto::SignedPqPrekey> pq_spk = std::nullopt;

  // X25519 only, as a device from before PQXDH published it.
  crypto::PrekeyBundle ClassicalBundle(crypto::RandomSource& rng) {
    const uint32_t id = next_opk++;
    auto opk = crypto::X25519KeyPair::Generate(rng);
    EXPECT_TRUE(store->SaveOneTimePrekey(id, opk).has_value());
    return crypto::PrekeyBundle{account,      identity.public_key(),
                                1,            spk.public_key(),
                                crypto::SignSignedPrekey(identity, 1, spk.public_key()),
                                id,           opk.public_key(),
                                std::nullopt, std::nullopt};
  }
  // PQXDH: the signed ML-KEM prekey and a new one-time one, as
  // Client::PublishBundle makes it.
  crypto::PrekeyBundle Bundle(crypto::RandomSource& rng) {
    crypto::PrekeyBundle b = ClassicalBundle(rng);
    if (!pq_spk) return b;
    b.pq_signed_prekey = pq_spk;
    auto key = crypto::MlKem768KeyPair::Generate(rng);
    auto id = store->AddPqOneTimePrekey(key);
    EXPECT_TRUE(id.has_value());
    b.pq_one_time_prekey = crypto::SignedPqPrekey{
        *id, key.public_key(),
        crypto::SignPqPrekey(identity, crypto::PqPrekeyKind::kOneTime, *id, key.public_key())};
    return b;
  }
};

template <typename Factory>
class DeviceStoreTest : public ::testing::Test {
 protected:
  Device MakeDevice(const std::string& account, bool post_quantum = true) {
    Device d{account, Factory::Make(tmp_.File(account + ".db"), rng_),
             crypto::Ed25519KeyPair::Generate(rng_), crypto::X25519KeyPair::Generate(rng_)};
    EXPECT_TRUE(d.store->SaveIdentity(account, d.identity, kNow).has_value());
    EXPECT_TRUE(d.store
                    ->SaveSignedPrekey(1, d.spk,
                                       crypto::SignSignedPrekey(d.identity, 1, d.spk.public_key()),
                                       kNow)
                    .has_value());
    if (post_quantum) {
      auto key = crypto::MlKem768KeyPair::Generate(rng_);
      const auto sig = crypto::SignPqPrekey(d.identity, crypto::PqPrekeyKind::kLastResort, 1,
                                            key.public_key());
      EXPECT_TRUE(d.store->RotatePqSignedPrekey(1, key, sig, kNow).has_value());
      d.pq_spk = crypto::SignedPqPrekey{1, key.public_key(), sig};
    }
    return d;
  }

  // Alice sends `text` to Bob (first contact if she has no session); the
  // envelope goes through the relay; returns Bob's delivery.
  protocol::Delivery Send(Device& from, Device& to, const std::string& text, uint64_t time) {
    auto session = from.store->LoadSession(to.account);
    EXPECT_TRUE(session.has_value());
    std::optional<protocol::Session> s = std::move(session).value();
    if (!s) {
      auto created = protocol::Session::Initiate(from.identity, from.account, to.Bundle(rng_), rng_);
      EXPECT_TRUE(created.has_value());
      s.emplace(std::move(created).value());
    }
    auto out = s->Encrypt(text, rng_);
    EXPECT_TRUE(out.has_value());
    EXPECT_TRUE(from.store->CommitSent(*s, *out, time).has_value());
    auto delivery = testing::Relay(relay_key_, out->envelope, time);
    EXPECT_TRUE(delivery.has_value());
    return std::move(delivery).value();
  }

  Result<protocol::ReceivedMessage> Receive(Device& to, const protocol::Delivery& d, uint64_t now) {
    return protocol::ReceiveAndStore(*to.store, to.identity, to.account, d, now, rng_);
  }

  crypto::InsecureDeterministicRandom rng_{77};
  crypto::RelayKey relay_key_ = crypto::GenerateRelayKey(rng_);
  ScopedTempDir tmp_;
};

using Factories = ::testing::Types<MemoryFactory, SqlFactory>;
class FactoryNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryFactory> ? "Memory" : "SqlCipher";
  }
};
}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_DEVICE_FIXTURE_H_
