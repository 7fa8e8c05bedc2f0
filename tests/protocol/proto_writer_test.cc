// The hand-written encoders of the per-message path (proto_writer.h) must
// produce exactly what protobuf's generated serializer produces, for every
// shape of input: empty and long fields, absent optionals, explicit-presence
// fields set to zero, lengths that need multi-byte varints.
#include <gtest/gtest.h>

#include <random>

#include "candor/protocol/frame.h"
#include "candor/protocol/wire.h"
#include "candor/wire/content.pb.h"
#include "candor/wire/envelope.pb.h"
#include "candor/wire/message.pb.h"
#include "wire_internal.h"

namespace candor::protocol {
namespace {

std::string Str(ByteView b) { return std::string(b.begin(), b.end()); }

Bytes Versioned(const std::string& body) {
  Bytes out(1 + body.size(), kWireVersion);
  std::copy(body.begin(), body.end(), out.begin() + 1);
  return out;
}

crypto::RatchetCiphertext Ciphertext(std::mt19937& rng, size_t bucket) {
  crypto::RatchetCiphertext m;
  for (auto& b : m.header) b = static_cast<uint8_t>(rng());
  m.body.resize(bucket + 16);
  for (auto& b : m.body) b = static_cast<uint8_t>(rng());
  return m;
}

TEST(ProtoWriter, ContentAndFrameMatchTheGeneratedSerializer) {
  // Not 0: empty content is refused (content_test.cc).
  for (size_t n : {1, 127, 128, 300, 16383, 16384, 60000}) {
    SCOPED_TRACE(n);
    const std::string text(n, 'q');
    wire::Content c;
    c.set_text(text);
    auto mine = EncodeContent(text);
    ASSERT_TRUE(mine.has_value());
    EXPECT_EQ(Str(*mine), c.SerializeAsString());

    crypto::FrankingKey fk;
    fk.Expose()[3] = 7;
    wire::Frame f;
    f.set_content(Str(*mine));
    f.set_franking_key(Str(fk.Expose()));
    const std::string expected = f.SerializeAsString();
    auto padded = EncodePaddedFrame(*mine, fk);
    ASSERT_TRUE(padded.has_value());
    EXPECT_EQ(std::string(padded->Expose().begin(), padded->Expose().begin() + expected.size()),
              expected);
    EXPECT_EQ(padded->Expose()[expected.size()], 0x80);
  }
}

TEST(ProtoWriter, RatchetPrekeyAndEnvelopeMatchTheGeneratedSerializer) {
  std::mt19937 rng(5);
  crypto::InsecureDeterministicRandom keys(5);
  for (size_t bucket : {256, 272, 1088, 65536}) {
    SCOPED_TRACE(bucket);
    const auto m = Ciphertext(rng, bucket);
    wire::RatchetMessage rm;
    rm.set_encrypted_header(Str(m.header));
    rm.set_ciphertext(Str(m.body));
    auto mine = EncodeRatchetMessage(m);
    ASSERT_TRUE(mine.has_value());
    EXPECT_EQ(Str(*mine), rm.SerializeAsString());

    for (std::optional<uint32_t> opk : {std::optional<uint32_t>(), std::optional<uint32_t>(0),
                                        std::optional<uint32_t>(300)}) {
      for (uint32_t spk_id : {0u, 1u, 4000000000u}) {
        const PrekeyMessage pm{crypto::Ed25519KeyPair::Generate(keys).public_key(),
                               crypto::X25519KeyPair::Generate(keys).public_key(), spk_id, opk, m,
                               std::nullopt};
        wire::PrekeyMessage pb;
        pb.set_identity_key(Str(pm.identity_key.bytes()));
        pb.set_ephemeral_key(Str(pm.ephemeral_key.bytes()));
        pb.set_signed_prekey_id(spk_id);
        if (opk) pb.set_one_time_prekey_id(*opk);
        *pb.mutable_message() = rm;
        auto encoded = EncodePrekeyMessage(pm);
        ASSERT_TRUE(encoded.has_value());
        EXPECT_EQ(Str(*encoded), pb.SerializeAsString());
      }
    }

    crypto::FrankingCommitment commitment{};
    commitment[0] = 1;
    for (auto type : {ContentType::kPrekeyMessage, ContentType::kRatchetMessage}) {
      const Envelope e{"a", std::string(128, 'b'), commitment, type, *mine};
      wire::Envelope pb;
      pb.set_sender(e.sender);
      pb.set_recipient(e.recipient);
      pb.set_franking_commitment(Str(commitment));
      pb.set_content_type(type == ContentType::kPrekeyMessage ? wire::CONTENT_TYPE_PREKEY_MESSAGE
                                                              : wire::CONTENT_TYPE_RATCHET_MESSAGE);
      pb.set_payload(Str(*mine));
      auto encoded = EncodeEnvelope(e);
      ASSERT_TRUE(encoded.has_value());
      EXPECT_EQ(*encoded, Versioned(pb.SerializeAsString()));
      if (type == ContentType::kRatchetMessage) {
        auto fused = internal::EncodeRatchetEnvelope(e.sender, e.recipient, commitment, m);
        ASSERT_TRUE(fused.has_value());
        EXPECT_EQ(*fused, *encoded);
      }
    }
  }
}

TEST(ProtoWriter, FusedEnvelopeRefusesWhatThePublicEncoderRefuses) {
  std::mt19937 rng(6);
  auto m = Ciphertext(rng, 256);
  m.body.pop_back();
  EXPECT_EQ(internal::EncodeRatchetEnvelope("a", "b", {}, m).error().code(), Errc::kBadFieldLength);
  EXPECT_EQ(internal::EncodeRatchetEnvelope("", "b", {}, Ciphertext(rng, 256)).error().code(),
            Errc::kFieldOutOfRange);
}

}  // namespace
}  // namespace candor::protocol
