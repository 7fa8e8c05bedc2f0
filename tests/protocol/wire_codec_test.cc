// Every decoder layer fails with its own code, and decode -> encode -> decode
// is stable for every wire type.
#include <gtest/gtest.h>

#include "candor/crypto/limits.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"
#include "support/session_pair.h"

namespace candor::protocol {
namespace {

using crypto::InsecureDeterministicRandom;

constexpr uint64_t kTime = 1'750'000'000;

struct Samples {
  InsecureDeterministicRandom rng{60};
  crypto::RelayKey relay_key = crypto::GenerateRelayKey(rng);
  testing::TestDevice alice{rng, "alice"}, bob{rng, "bob"};
  crypto::PrekeyBundle bundle = bob.Bundle(rng);
  Bytes bundle_bytes = *EncodePrekeyBundle(bundle);
  Session session = *Session::Initiate(alice.identity, "alice", bundle, rng);
  Bytes envelope = session.Encrypt("hello", rng)->envelope;
  Envelope env = *DecodeEnvelope(envelope);
};

// Hand-encoding of protobuf fields, for inputs candor's encoders refuse to make.
void PutVarint(Bytes& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}
void PutBytesField(Bytes& out, uint32_t field, ByteView value) {
  PutVarint(out, (uint64_t{field} << 3) | 2);
  PutVarint(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}
void PutVarintField(Bytes& out, uint32_t field, uint64_t value) {
  PutVarint(out, uint64_t{field} << 3);
  PutVarint(out, value);
}

Errc CodeOf(const Result<Envelope>& r) { return r.has_value() ? Errc::kInternal : r.error().code(); }

TEST(WireCodec, RoundTripsAreStable) {
  Samples s;
  // Bundle.
  auto bundle = DecodePrekeyBundle(s.bundle_bytes);
  ASSERT_TRUE(bundle.has_value());
  EXPECT_EQ(*EncodePrekeyBundle(*bundle), s.bundle_bytes);
  // Envelope and its prekey payload.
  EXPECT_EQ(*EncodeEnvelope(s.env), s.envelope);
  auto pm = DecodePrekeyMessage(s.env.payload);
  ASSERT_TRUE(pm.has_value());
  EXPECT_EQ(*EncodePrekeyMessage(*pm), s.env.payload);
  auto rm = EncodeRatchetMessage(pm->message);
  ASSERT_TRUE(rm.has_value());
  auto rm_back = DecodeRatchetMessage(*rm);
  ASSERT_TRUE(rm_back.has_value());
  EXPECT_EQ(*EncodeRatchetMessage(*rm_back), *rm);
  // Delivery and ack.
  const crypto::RelayTag tag{};
  auto delivery = EncodeDelivery(s.envelope, kTime, tag);
  ASSERT_TRUE(delivery.has_value());
  auto d = DecodeDelivery(*delivery);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->envelope_bytes, s.envelope);
  EXPECT_EQ(*EncodeDelivery(d->envelope_bytes, d->server_time, d->relay_tag), *delivery);
  RelayAck ack{"bob", s.env.franking_commitment, kTime, tag};
  auto ack_bytes = EncodeRelayAck(ack);
  ASSERT_TRUE(ack_bytes.has_value());
  auto ack_back = DecodeRelayAck(*ack_bytes);
  ASSERT_TRUE(ack_back.has_value());
  EXPECT_EQ(*EncodeRelayAck(*ack_back), *ack_bytes);
}

TEST(WireCodec, LayerOneSizeCap) {
  Bytes huge(kMaxEnvelopeBytes + 1, 0x01);
  EXPECT_EQ(CodeOf(DecodeEnvelope(huge)), Errc::kMessageTooLarge);
  EXPECT_EQ(DecodeDelivery(Bytes(kMaxDeliveryBytes + 1, 1)).error().code(), Errc::kMessageTooLarge);
  EXPECT_EQ(DecodeRelayAck(Bytes(kMaxRelayAckBytes + 1, 1)).error().code(), Errc::kMessageTooLarge);
  EXPECT_EQ(DecodePrekeyBundle(Bytes(kMaxPrekeyBundleBytes + 1, 1)).error().code(),
            Errc::kMessageTooLarge);
  EXPECT_EQ(DecodeRatchetMessage(Bytes(kMaxRatchetMessageBytes + 1, 1)).error().code(),
            Errc::kMessageTooLarge);
}

TEST(WireCodec, LayerTwoVersionByte) {
  Samples s;
  EXPECT_EQ(CodeOf(DecodeEnvelope({})), Errc::kUnsupportedVersion);
  ASSERT_EQ(s.envelope[0], 2);
  for (const uint8_t version : {uint8_t{0}, uint8_t{1}, uint8_t{3}}) {
    Bytes other = s.envelope;
    other[0] = version;
    EXPECT_EQ(CodeOf(DecodeEnvelope(other)), Errc::kUnsupportedVersion) << int{version};
  }
  Bytes v1 = s.envelope;
  v1[0] = 1;
  EXPECT_NE(DecodeEnvelope(v1).error().message().find("older candor"), std::string::npos);
  Bytes b0 = s.bundle_bytes;
  b0[0] = 0;
  EXPECT_EQ(DecodePrekeyBundle(b0).error().code(), Errc::kUnsupportedVersion);
}

TEST(WireCodec, LayerThreeParse) {
  Samples s;
  Bytes cut(s.envelope.begin(), s.envelope.end() - 3);  // a length runs past the end
  EXPECT_EQ(CodeOf(DecodeEnvelope(cut)), Errc::kMalformed);
  const Bytes garbage = {kWireVersion, 0xff, 0xff, 0xff};
  EXPECT_EQ(CodeOf(DecodeEnvelope(garbage)), Errc::kMalformed);
}

TEST(WireCodec, LayerFourUnknownFields) {
  Samples s;
  Bytes extra = s.envelope;
  extra.insert(extra.end(), {0xf8, 0x01, 0x05});  // field 31, varint 5
  EXPECT_EQ(CodeOf(DecodeEnvelope(extra)), Errc::kUnknownField);
  // Unknown fields nested inside a message are found too.
  Bytes payload = s.env.payload;
  // PrekeyMessage.message (field 5) is the last field: extend it with field 9.
  auto pm = *DecodePrekeyMessage(payload);
  Bytes rm = *EncodeRatchetMessage(pm.message);
  rm.insert(rm.end(), {0x48, 0x01});
  Bytes nested = {0x0a, 32};
  nested.insert(nested.end(), pm.identity_key.bytes().begin(), pm.identity_key.bytes().end());
  nested.insert(nested.end(), {0x12, 32});
  nested.insert(nested.end(), pm.ephemeral_key.bytes().begin(), pm.ephemeral_key.bytes().end());
  nested.push_back(0x2a);
  // rm is small enough for a two-byte varint length.
  nested.push_back(static_cast<uint8_t>((rm.size() & 0x7f) | 0x80));
  nested.push_back(static_cast<uint8_t>(rm.size() >> 7));
  nested.insert(nested.end(), rm.begin(), rm.end());
  EXPECT_EQ(DecodePrekeyMessage(nested).error().code(), Errc::kUnknownField);
}

TEST(WireCodec, LayerFiveLengthsAndBounds) {
  Samples s;
  auto encode = [&](Envelope e) { return DecodeEnvelope(*EncodeEnvelope(e)); };
  Envelope e = s.env;
  e.sender = "";
  EXPECT_EQ(EncodeEnvelope(e).error().code(), Errc::kFieldOutOfRange);
  e.sender = std::string(kMaxAccountBytes + 1, 'a');
  EXPECT_EQ(EncodeEnvelope(e).error().code(), Errc::kFieldOutOfRange);
  e.sender = "\xc3\x28";  // invalid UTF-8
  EXPECT_EQ(EncodeEnvelope(e).error().code(), Errc::kFieldOutOfRange);
  e = s.env;
  e.payload.clear();
  EXPECT_EQ(EncodeEnvelope(e).error().code(), Errc::kMissingField);
  EXPECT_TRUE(encode(s.env).has_value());
  // Ratchet message: header must be 80 bytes, ciphertext a bucket + 16.
  auto pm = *DecodePrekeyMessage(s.env.payload);
  crypto::RatchetCiphertext short_body = pm.message;
  short_body.body.pop_back();
  EXPECT_EQ(EncodeRatchetMessage(short_body).error().code(), Errc::kBadFieldLength);
  // Delivery / ack: a 31-byte tag and a zero server time.
  Bytes short_tag = {kWireVersion};
  PutBytesField(short_tag, 1, s.envelope);
  PutVarintField(short_tag, 2, kTime);
  PutBytesField(short_tag, 3, Bytes(31, 0));
  EXPECT_EQ(DecodeDelivery(short_tag).error().code(), Errc::kBadFieldLength);
  EXPECT_EQ(EncodeDelivery(s.envelope, 0, crypto::RelayTag{}).error().code(), Errc::kMissingField);
  // An ack names a valid account, or none (a sealed group message's).
  EXPECT_EQ(EncodeRelayAck(RelayAck{"\xc3\x28", {}, kTime, {}}).error().code(),
            Errc::kFieldOutOfRange);
  EXPECT_TRUE(EncodeRelayAck(RelayAck{"", {}, kTime, {}}).has_value());
  // A bundle whose one-time prekey id comes without the key.
  crypto::PrekeyBundle b = s.bundle;
  b.one_time_prekey.reset();
  EXPECT_EQ(EncodePrekeyBundle(b).error().code(), Errc::kMissingField);
}

TEST(WireCodec, UnknownContentTypeIsOutOfRange) {
  Samples s;
  for (uint64_t type : {0, 4, 7}) {  // 3 is a group message (group_relay_test.cc)
    Bytes e = {kWireVersion};
    PutBytesField(e, 1, AsBytes("alice"));
    PutBytesField(e, 2, AsBytes("bob"));
    PutBytesField(e, 3, s.env.franking_commitment);
    PutVarintField(e, 4, type);
    PutBytesField(e, 5, s.env.payload);
    EXPECT_EQ(CodeOf(DecodeEnvelope(e)), Errc::kFieldOutOfRange) << type;
  }
}

// Account names reach users NUL-terminated (C ABI) and on terminals: a NUL
// or a control character is refused wherever an account is checked.
TEST(WireCodec, AccountsWithControlCharactersAreRefused) {
  using namespace std::string_literals;
  Samples s;
  for (const std::string& bad : {"bob\0mallory"s, "bob\n"s, "b\tob"s, "bob\r"s, "\x1b[31mbob"s,
                                 "bob\x7f"s}) {
    SCOPED_TRACE(::testing::PrintToString(bad));
    EXPECT_EQ(crypto::CheckAccount(bad).error().code(), Errc::kInvalidAccount);
    // An envelope, hand-encoded (EncodeEnvelope refuses to make it).
    Bytes e = {kWireVersion};
    PutBytesField(e, 1, AsBytes("alice"));
    PutBytesField(e, 2, AsBytes(bad));
    PutBytesField(e, 3, s.env.franking_commitment);
    PutVarintField(e, 4, static_cast<uint64_t>(s.env.content_type));
    PutBytesField(e, 5, s.env.payload);
    EXPECT_EQ(CodeOf(DecodeEnvelope(e)), Errc::kFieldOutOfRange);
    // A prekey bundle naming such an account.
    const crypto::PrekeyBundle& b = s.bundle;
    Bytes bundle = {kWireVersion};
    PutBytesField(bundle, 1, AsBytes(bad));
    PutBytesField(bundle, 2, b.identity_key.bytes());
    PutVarintField(bundle, 3, b.signed_prekey_id);
    PutBytesField(bundle, 4, b.signed_prekey.bytes());
    PutBytesField(bundle, 5, b.signed_prekey_signature);
    auto decoded = DecodePrekeyBundle(bundle);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code(), Errc::kFieldOutOfRange) << decoded.error().message();
    // And a session cannot be started with it.
    crypto::PrekeyBundle named = s.bundle;
    named.account = bad;
    EXPECT_FALSE(Session::Initiate(s.alice.identity, "alice", named, s.rng).has_value());
  }
  // The same layout with a good name decodes (the test's encoding is right).
  const crypto::PrekeyBundle& b = s.bundle;
  Bytes good = {kWireVersion};
  PutBytesField(good, 1, AsBytes("bob"));
  PutBytesField(good, 2, b.identity_key.bytes());
  PutVarintField(good, 3, b.signed_prekey_id);
  PutBytesField(good, 4, b.signed_prekey.bytes());
  PutBytesField(good, 5, b.signed_prekey_signature);
  EXPECT_TRUE(DecodePrekeyBundle(good).has_value()) << DecodePrekeyBundle(good).error().message();
}

}  // namespace
}  // namespace candor::protocol
