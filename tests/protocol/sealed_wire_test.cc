// Sealed sender on the wire: the certificate, token request and response
// codecs and their refusals; the proof in a Frame; the sealed box's
// plaintext; a sealed envelope (no sender) and what the reference relay
// makes of it — a tag over the recipient only, and nothing that names the
// sender in any byte it hands out.
#include "candor/protocol/sealed_wire.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/relay.h"
#include "candor/wire/sealed.pb.h"
#include "support/session_pair.h"

namespace candor {
namespace {

using protocol::ContentType;

constexpr uint64_t kNow = 1'750'000'000;
constexpr uint64_t kExpiry = kNow + 86'400;

// The version byte, then a hand-built message.
Bytes Versioned(const google::protobuf::Message& m) {
  const std::string body = m.SerializeAsString();
  Bytes out(1 + body.size());
  out[0] = protocol::kWireVersion;
  std::copy(body.begin(), body.end(), out.begin() + 1);
  return out;
}

bool Contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

class SealedWireTest : public ::testing::Test {
 protected:
  crypto::SenderCertificate Certificate(std::string_view account = "alice") {
    auto c = crypto::IssueSenderCertificate(directory_, account, alice_.identity.public_key(),
                                            kExpiry);
    EXPECT_TRUE(c.has_value());
    return std::move(c).value();
  }
  crypto::ModerationToken Token() {
    const auto one_use = crypto::Ed25519KeyPair::Generate(rng_);
    auto t = crypto::IssueModerationToken(token_key_, moderator_, "alice", kNow,
                                          one_use.public_key(), kExpiry, rng_);
    EXPECT_TRUE(t.has_value());
    return std::move(t).value();
  }
  protocol::SealedProof Proof() {
    protocol::SealedProof p{Certificate(), Token(), {}};
    p.token_signature.fill(0x5a);
    return p;
  }
  // alice's first message to bob, as an unsealed envelope.
  protocol::Envelope FirstEnvelope() {
    auto s = protocol::Session::Initiate(alice_.identity, "alice", bob_.Bundle(rng_), rng_);
    EXPECT_TRUE(s.has_value());
    auto out = s->Encrypt("hello", rng_);
    EXPECT_TRUE(out.has_value());
    auto env = protocol::DecodeEnvelope(out->envelope);
    EXPECT_TRUE(env.has_value());
    return std::move(env).value();
  }
  // The same message sealed: the box to bob's identity holds the sender.
  Bytes SealedEnvelope(const protocol::Envelope& plain) {
    auto inner = protocol::EncodeSealedInner(
        protocol::SealedInner{plain.sender, plain.content_type, plain.payload});
    EXPECT_TRUE(inner.has_value()) << inner.error().message();
    auto bob_x = bob_.identity.public_key().ToX25519();
    EXPECT_TRUE(bob_x.has_value());
    auto box = crypto::SealedBoxSeal(*bob_x, *inner, rng_);
    EXPECT_TRUE(box.has_value());
    auto env = protocol::EncodeEnvelope(
        protocol::Envelope{"", plain.recipient, plain.franking_commitment, ContentType::kSealed,
                           *box});
    EXPECT_TRUE(env.has_value()) << env.error().message();
    return std::move(env).value();
  }

  crypto::InsecureDeterministicRandom rng_{19};
  crypto::Ed25519KeyPair directory_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::Ed25519KeyPair moderator_ = crypto::Ed25519KeyPair::Generate(rng_);
  crypto::TokenKey token_key_ = crypto::GenerateTokenKey(rng_);
  testing::TestDevice alice_{rng_, "alice"};
  testing::TestDevice bob_{rng_, "bob"};
};

TEST_F(SealedWireTest, ACertificateRoundTripsAndStillVerifies) {
  const auto cert = Certificate();
  auto bytes = protocol::EncodeSenderCertificate(cert);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ((*bytes)[0], protocol::kWireVersion);
  auto back = protocol::DecodeSenderCertificate(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->account, "alice");
  EXPECT_EQ(back->identity_key, alice_.identity.public_key());
  EXPECT_EQ(back->expires_at, kExpiry);
  EXPECT_TRUE(crypto::VerifySenderCertificate(directory_.public_key(), *back, kNow).has_value());
  // The guard lets it out on the directory's channel only.
  EXPECT_TRUE(protocol::CheckEgress(protocol::EgressChannel::kDirectory,
                                    protocol::kSenderCertificateType, *bytes)
                  .has_value());
  EXPECT_EQ(protocol::CheckEgress(protocol::EgressChannel::kRelay,
                                  protocol::kSenderCertificateType, *bytes)
                .error()
                .code(),
            Errc::kPolicyViolation);
}

TEST_F(SealedWireTest, ACertificateThatIsNotWellFormedIsRefused) {
  const Bytes good = *protocol::EncodeSenderCertificate(Certificate());
  wire::SenderCertificate pb;
  ASSERT_TRUE(pb.ParseFromArray(good.data() + 1, static_cast<int>(good.size() - 1)));
  auto encode = [](const wire::SenderCertificate& m) { return Versioned(m); };
  auto short_key = pb;
  short_key.set_identity_key(std::string(31, 'k'));
  EXPECT_EQ(protocol::DecodeSenderCertificate(encode(short_key)).error().code(),
            Errc::kBadFieldLength);
  auto no_expiry = pb;
  no_expiry.clear_expires_at();
  EXPECT_EQ(protocol::DecodeSenderCertificate(encode(no_expiry)).error().code(),
            Errc::kMissingField);
  auto nul_account = pb;
  nul_account.set_account(std::string("ali\0ce", 6));
  EXPECT_EQ(protocol::DecodeSenderCertificate(encode(nul_account)).error().code(),
            Errc::kFieldOutOfRange);
  auto short_signature = pb;
  short_signature.set_signature(std::string(63, 's'));
  EXPECT_EQ(protocol::DecodeSenderCertificate(encode(short_signature)).error().code(),
            Errc::kBadFieldLength);
  Bytes unknown = good;
  unknown.push_back(0x28);  // field 5, varint 1
  unknown.push_back(0x01);
  EXPECT_EQ(protocol::DecodeSenderCertificate(unknown).error().code(), Errc::kUnknownField);
  Bytes huge = good;
  huge.resize(kMaxSenderCertificateBytes + 1);
  EXPECT_EQ(protocol::DecodeSenderCertificate(huge).error().code(), Errc::kMessageTooLarge);
}

TEST_F(SealedWireTest, TokenRequestsHoldOneToAHundredDistinctKeys) {
  std::vector<crypto::Ed25519PublicKey> keys;
  for (int i = 0; i < 3; ++i) keys.push_back(crypto::Ed25519KeyPair::Generate(rng_).public_key());
  auto bytes = protocol::EncodeTokenRequest(keys);
  ASSERT_TRUE(bytes.has_value());
  auto back = protocol::DecodeTokenRequest(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, keys);
  EXPECT_TRUE(protocol::CheckEgress(protocol::EgressChannel::kTokenService,
                                    protocol::kTokenRequestType, *bytes)
                  .has_value());
  EXPECT_EQ(protocol::CheckEgress(protocol::EgressChannel::kRelay, protocol::kTokenRequestType,
                                  *bytes)
                .error()
                .code(),
            Errc::kPolicyViolation);

  EXPECT_EQ(protocol::EncodeTokenRequest({}).error().code(), Errc::kMissingField);
  auto twice = keys;
  twice.push_back(keys[1]);
  EXPECT_EQ(protocol::EncodeTokenRequest(twice).error().code(), Errc::kFieldOutOfRange);
  // A hand-built request naming a key twice is refused on decode too.
  wire::TokenRequest pb;
  pb.add_one_use_keys(std::string(keys[0].bytes().begin(), keys[0].bytes().end()));
  pb.add_one_use_keys(std::string(keys[0].bytes().begin(), keys[0].bytes().end()));
  EXPECT_EQ(protocol::DecodeTokenRequest(Versioned(pb)).error().code(), Errc::kFieldOutOfRange);

  std::vector<crypto::Ed25519PublicKey> many;
  for (size_t i = 0; i <= kMaxTokensPerRequest; ++i) {
    many.push_back(crypto::Ed25519KeyPair::Generate(rng_).public_key());
  }
  EXPECT_EQ(protocol::EncodeTokenRequest(many).error().code(), Errc::kFieldOutOfRange);
  many.pop_back();
  auto full = protocol::EncodeTokenRequest(many);
  ASSERT_TRUE(full.has_value());
  EXPECT_LE(full->size(), kMaxTokenRequestBytes);
  EXPECT_TRUE(protocol::DecodeTokenRequest(*full).has_value());
}

TEST_F(SealedWireTest, TokenResponsesRoundTripAndCheckEveryLength) {
  std::vector<crypto::ModerationToken> tokens{Token(), Token()};
  auto bytes = protocol::EncodeTokenResponse(tokens);
  ASSERT_TRUE(bytes.has_value());
  auto back = protocol::DecodeTokenResponse(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  ASSERT_EQ(back->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*back)[i].nonce, tokens[i].nonce);
    EXPECT_EQ((*back)[i].sealed_account, tokens[i].sealed_account);
    EXPECT_EQ((*back)[i].one_use_key, tokens[i].one_use_key);
    EXPECT_EQ((*back)[i].signature, tokens[i].signature);
    EXPECT_TRUE(
        crypto::VerifyModerationToken(moderator_.public_key(), (*back)[i], kNow).has_value());
    auto owner = crypto::OpenModerationToken(token_key_, (*back)[i]);
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->account, "alice");
  }
  EXPECT_TRUE(protocol::CheckEgress(protocol::EgressChannel::kTokenService,
                                    protocol::kTokenResponseType, *bytes)
                  .has_value());

  auto cut = tokens;
  cut[0].sealed_account.resize(crypto::kMinTokenSealedAccountBytes - 1);
  EXPECT_EQ(protocol::EncodeTokenResponse(cut).error().code(), Errc::kBadFieldLength);
  wire::TokenResponse pb;
  ASSERT_TRUE(pb.ParseFromArray(bytes->data() + 1, static_cast<int>(bytes->size() - 1)));
  pb.mutable_tokens(1)->set_nonce(std::string(23, 'n'));
  EXPECT_EQ(protocol::DecodeTokenResponse(Versioned(pb)).error().code(), Errc::kBadFieldLength);
}

TEST_F(SealedWireTest, AFrameCarriesTheProofOnlyWhenSealed) {
  auto fk = crypto::GenerateFrankingKey(rng_);
  const Bytes content(100, 0x41);
  auto plain = protocol::EncodePaddedFrame(content, fk);
  ASSERT_TRUE(plain.has_value());
  auto plain_frame = protocol::DecodePaddedFrame(plain->Expose());
  ASSERT_TRUE(plain_frame.has_value());
  EXPECT_FALSE(plain_frame->sealed.has_value());

  const auto proof = Proof();
  auto sealed = protocol::EncodePaddedFrame(content, fk, &proof);
  ASSERT_TRUE(sealed.has_value());
  auto frame = protocol::DecodePaddedFrame(sealed->Expose());
  ASSERT_TRUE(frame.has_value()) << frame.error().message();
  EXPECT_EQ(frame->content, content);
  ASSERT_TRUE(frame->sealed.has_value());
  EXPECT_EQ(frame->sealed->certificate.account, "alice");
  EXPECT_EQ(frame->sealed->token.sealed_account, proof.token.sealed_account);
  EXPECT_EQ(frame->sealed->token_signature, proof.token_signature);

  // The proof takes room: sealed content stops at kMaxSealedContentBytes,
  // and the largest sealed frame still fits the largest bucket.
  const Bytes largest(kMaxSealedContentBytes, 0x42);
  auto big = protocol::EncodePaddedFrame(largest, fk, &proof);
  ASSERT_TRUE(big.has_value()) << big.error().message();
  EXPECT_TRUE(protocol::DecodePaddedFrame(big->Expose()).has_value());
  const Bytes over(kMaxSealedContentBytes + 1, 0x42);
  EXPECT_EQ(protocol::EncodePaddedFrame(over, fk, &proof).error().code(),
            Errc::kMessageTooLarge);
  EXPECT_TRUE(protocol::EncodePaddedFrame(over, fk).has_value()) << "unsealed: the old limit";
}

TEST_F(SealedWireTest, TheBoxPlaintextNamesTheSenderAndAPrekeyOrRatchetMessage) {
  const auto plain = FirstEnvelope();
  auto inner = protocol::EncodeSealedInner({"alice", ContentType::kPrekeyMessage, plain.payload});
  ASSERT_TRUE(inner.has_value());
  EXPECT_EQ((*inner)[0], 0);
  EXPECT_EQ((*inner)[1], 5);
  EXPECT_EQ((*inner)[7], 1) << "lp(\"alice\") then the content type";
  auto back = protocol::DecodeSealedInner(*inner);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->sender, "alice");
  EXPECT_EQ(back->content_type, ContentType::kPrekeyMessage);
  EXPECT_EQ(back->payload, plain.payload);

  EXPECT_EQ(protocol::EncodeSealedInner({"", ContentType::kPrekeyMessage, plain.payload})
                .error()
                .code(),
            Errc::kFieldOutOfRange);
  EXPECT_EQ(protocol::EncodeSealedInner({"alice", ContentType::kGroupMessage, plain.payload})
                .error()
                .code(),
            Errc::kFieldOutOfRange);
  // The type must match the payload: a prekey message is no ratchet message.
  EXPECT_FALSE(
      protocol::EncodeSealedInner({"alice", ContentType::kRatchetMessage, plain.payload})
          .has_value());
  Bytes wrong_type = *inner;
  wrong_type[7] = 4;
  EXPECT_EQ(protocol::DecodeSealedInner(wrong_type).error().code(), Errc::kFieldOutOfRange);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, size_t{8}}) {
    EXPECT_FALSE(protocol::DecodeSealedInner(ByteView(*inner).first(cut)).has_value()) << cut;
  }
  Bytes long_name = *inner;
  long_name[1] = 200;  // claims more sender than there is account room for
  EXPECT_FALSE(protocol::DecodeSealedInner(long_name).has_value());
}

TEST_F(SealedWireTest, ASealedEnvelopeNamesNoSenderAndOnlySealedOnesMayOmitIt) {
  const auto plain = FirstEnvelope();
  const Bytes sealed = SealedEnvelope(plain);
  auto env = protocol::DecodeEnvelope(sealed);
  ASSERT_TRUE(env.has_value()) << env.error().message();
  EXPECT_TRUE(env->sender.empty());
  EXPECT_EQ(env->content_type, ContentType::kSealed);
  EXPECT_FALSE(Contains(sealed, AsBytes(std::string_view("alice"))));
  EXPECT_FALSE(Contains(sealed, alice_.identity.public_key().bytes()));

  auto opened = crypto::SealedBoxOpen(bob_.identity.ToX25519(), env->payload);
  ASSERT_TRUE(opened.has_value());
  auto inner = protocol::DecodeSealedInner(opened->Expose());
  ASSERT_TRUE(inner.has_value());
  EXPECT_EQ(inner->sender, "alice");
  EXPECT_EQ(inner->payload, plain.payload);

  auto with_sender = *env;
  with_sender.sender = "alice";
  EXPECT_EQ(protocol::EncodeEnvelope(with_sender).error().code(), Errc::kFieldOutOfRange);
  auto no_sender = plain;
  no_sender.sender.clear();
  EXPECT_EQ(protocol::EncodeEnvelope(no_sender).error().code(), Errc::kFieldOutOfRange);
  auto tiny = *env;
  tiny.payload.resize(crypto::kSealedBoxOverheadBytes);
  EXPECT_EQ(protocol::EncodeEnvelope(tiny).error().code(), Errc::kBadFieldLength);
  auto huge = *env;
  huge.payload.resize(kMaxSealedPayloadBytes + 1);
  EXPECT_EQ(protocol::EncodeEnvelope(huge).error().code(), Errc::kFieldOutOfRange);
  EXPECT_TRUE(protocol::CheckEgress(protocol::EgressChannel::kRelay, protocol::kEnvelopeType,
                                    sealed)
                  .has_value());
}

TEST_F(SealedWireTest, TheRelayTagsASealedEnvelopeForItsRecipientOnly) {
  const auto plain = FirstEnvelope();
  const Bytes sealed = SealedEnvelope(plain);
  crypto::InsecureDeterministicRandom relay_rng(7);
  const auto key = crypto::GenerateRelayKey(relay_rng);
  auto relayed = protocol::RelayEnvelope(key, sealed, kNow);
  ASSERT_TRUE(relayed.has_value()) << relayed.error().message();
  EXPECT_TRUE(relayed->envelope.sender.empty());
  auto delivery = protocol::DecodeDelivery(relayed->delivery);
  ASSERT_TRUE(delivery.has_value());
  EXPECT_EQ(delivery->envelope_bytes, sealed);
  EXPECT_TRUE(crypto::VerifySealedRelayTag(key, plain.franking_commitment, "bob", kNow,
                                           delivery->relay_tag)
                  .has_value());
  // Not the unsealed tag for any sender: the relay never knew one.
  EXPECT_FALSE(crypto::VerifyRelayTag(key, plain.franking_commitment, "alice", "bob", kNow,
                                      delivery->relay_tag)
                   .has_value());
  auto ack = protocol::DecodeRelayAck(relayed->ack);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->recipient, "bob");
  EXPECT_EQ(ack->relay_tag, delivery->relay_tag);
  // No byte the relay takes or gives names the sender or its identity key.
  for (ByteView out : {ByteView(sealed), ByteView(relayed->delivery), ByteView(relayed->ack)}) {
    EXPECT_FALSE(Contains(out, AsBytes(std::string_view("alice"))));
    EXPECT_FALSE(Contains(out, alice_.identity.public_key().bytes()));
  }
  EXPECT_EQ(std::count(relayed->delivery_egress.fields.begin(),
                       relayed->delivery_egress.fields.end(), "candor.wire.Envelope.sender"),
            0);
}

}  // namespace
}  // namespace candor
