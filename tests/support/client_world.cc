#include "support/client_world.h"

#include <gtest/gtest.h>

#include "candor/protocol/relay.h"

namespace candor::testing {

storage::StoreKey ClientWorld::Key(uint8_t fill) {
  SecretArray<32> k;
  for (auto& b : k.Expose()) b = fill;
  return storage::StoreKey::Raw(std::move(k));
}

client::Client ClientWorld::Make(const std::string& account, uint8_t key_fill) {
  auto c = client::Client::Create(tmp_.File(account + ".db"), Key(key_fill), account, rng_, clock_);
  EXPECT_TRUE(c.has_value()) << c.error().message();
  return std::move(c).value();
}

Bytes ClientWorld::Relay(client::Client& from, const client::SentMessage& sent, bool ack) {
  EXPECT_EQ(sent.envelope.channel, client::Channel::kRelay);
  clock_.Advance(1);
  auto r = protocol::RelayEnvelope(relay_key_, sent.envelope.bytes, clock_.NowSeconds());
  EXPECT_TRUE(r.has_value());
  if (ack) {
    EXPECT_TRUE(from.HandleAck(r->ack).has_value());
  }
  return r->delivery;
}

Bytes ClientWorld::SendFirst(client::Client& from, client::Client& to, const std::string& text) {
  auto bundle = to.PublishBundle();
  EXPECT_TRUE(bundle.has_value());
  auto sent = from.Send(to.account(), text, ByteView(bundle->bytes));
  EXPECT_TRUE(sent.has_value()) << sent.error().message();
  return Relay(from, *sent);
}

Bytes ClientWorld::SendNext(client::Client& from, client::Client& to, const std::string& text,
                            bool ack) {
  auto sent = from.Send(to.account(), text);
  EXPECT_TRUE(sent.has_value()) << sent.error().message();
  return Relay(from, *sent, ack);
}

int64_t ClientWorld::Exchange(client::Client& from, client::Client& to, const std::string& text,
                              bool ack) {
  auto r = to.Receive(SendNext(from, to, text, ack));
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return r.has_value() ? r->message_id : 0;
}

}  // namespace candor::testing
