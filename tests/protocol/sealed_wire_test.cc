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
#include "candor/wire/content.pb.h"
#include "candor/wire/envelope.pb.h"
#include "candor/wire/sealed.pb.h"
#include "support/crafted_sender.h"
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
  Bytes FirstEnvelopeBytes() {
    if (first_bytes_.empty()) first_bytes_ = *protocol::EncodeEnvelope(FirstEnvelope());
    return first_bytes_;
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
  Bytes first_bytes_;
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
  auto far_future = pb;
  far_future.set_expires_at(kMaxExpiryTime + 1);
  EXPECT_EQ(protocol::DecodeSenderCertificate(encode(far_future)).error().code(),
            Errc::kFieldOutOfRange);
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
  // lp("alice"), the name, zeros up to 128 bytes of name, then the type.
  constexpr size_t kType = 2 + kMaxAccountBytes;
  EXPECT_EQ((*inner)[0], 0);
  EXPECT_EQ((*inner)[1], 5);
  EXPECT_EQ(std::string(inner->begin() + 2, inner->begin() + 7), "alice");
  EXPECT_TRUE(std::all_of(inner->begin() + 7, inner->begin() + kType, [](uint8_t b) { return b == 0; }));
  EXPECT_EQ((*inner)[kType], 1);
  EXPECT_EQ(inner->size(), kType + 1 + plain.payload.size());
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
  wrong_type[kType] = 4;
  EXPECT_EQ(protocol::DecodeSealedInner(wrong_type).error().code(), Errc::kFieldOutOfRange);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, kType, kType + 1}) {
    EXPECT_FALSE(protocol::DecodeSealedInner(ByteView(*inner).first(cut)).has_value()) << cut;
  }
  // The padding is zeros, and only zeros: one encoding per message.
  Bytes dirty = *inner;
  dirty[kType - 1] = 1;
  EXPECT_EQ(protocol::DecodeSealedInner(dirty).error().code(), Errc::kMalformed);
  // A name one byte longer than any account.
  Bytes long_name(2 + kMaxAccountBytes + 1, 'a');
  long_name[0] = 0;
  long_name[1] = static_cast<uint8_t>(kMaxAccountBytes + 1);
  long_name.push_back(1);
  long_name.insert(long_name.end(), plain.payload.begin(), plain.payload.end());
  EXPECT_EQ(protocol::DecodeSealedInner(long_name).error().code(), Errc::kFieldOutOfRange);
  // A control character in the name.
  auto nul = protocol::EncodeSealedInner({std::string("al\0ce", 5), ContentType::kPrekeyMessage,
                                          plain.payload});
  EXPECT_EQ(nul.error().code(), Errc::kFieldOutOfRange);
}

// Found in review: unpadded, the box's size told the relay the length of
// the sender's name.
TEST_F(SealedWireTest, TheBoxSizeDoesNotDependOnTheSendersName) {
  const auto plain = FirstEnvelope();
  auto short_name = protocol::EncodeSealedInner({"al", ContentType::kPrekeyMessage, plain.payload});
  auto long_name = protocol::EncodeSealedInner(
      {std::string(kMaxAccountBytes, 'z'), ContentType::kPrekeyMessage, plain.payload});
  ASSERT_TRUE(short_name.has_value() && long_name.has_value());
  EXPECT_EQ(short_name->size(), long_name->size());
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

// What the relay runs is the decoder: hand-built envelopes that break the
// sealed rules are refused there, by the relay and by the egress guard.
TEST_F(SealedWireTest, HandBuiltEnvelopesThatBreakTheSealedRulesAreRefused) {
  const auto plain = FirstEnvelope();
  const Bytes sealed = SealedEnvelope(plain);
  wire::Envelope pb;
  ASSERT_TRUE(pb.ParseFromArray(sealed.data() + 1, static_cast<int>(sealed.size() - 1)));
  crypto::InsecureDeterministicRandom relay_rng(7);
  const auto key = crypto::GenerateRelayKey(relay_rng);
  auto refused = [&](const wire::Envelope& m, Errc code, const char* what) {
    const Bytes bytes = Versioned(m);
    EXPECT_EQ(protocol::DecodeEnvelope(bytes).error().code(), code) << what;
    EXPECT_FALSE(protocol::RelayEnvelope(key, bytes, kNow).has_value()) << what;
    EXPECT_FALSE(protocol::CheckEgress(protocol::EgressChannel::kRelay, protocol::kEnvelopeType,
                                       bytes)
                     .has_value())
        << what;
  };
  auto named = pb;
  named.set_sender("alice");
  refused(named, Errc::kFieldOutOfRange, "a sealed envelope naming its sender");
  auto as_payload = pb;
  as_payload.set_payload(pb.sealed_box());
  as_payload.clear_sealed_box();
  refused(as_payload, Errc::kFieldOutOfRange, "the box in payload");
  auto both = pb;
  both.set_payload(plain.payload.data(), plain.payload.size());
  refused(both, Errc::kFieldOutOfRange, "a box and a payload");
  auto short_box = pb;
  short_box.set_sealed_box(std::string(crypto::kSealedBoxOverheadBytes + 2 + kMaxAccountBytes + 1, 'b'));
  refused(short_box, Errc::kBadFieldLength, "a box too short to hold a padded name and a message");
  auto long_box = pb;
  long_box.set_sealed_box(std::string(kMaxSealedPayloadBytes + 1, 'b'));
  refused(long_box, Errc::kFieldOutOfRange, "a box larger than any message");
  // An unsealed envelope with a box beside its payload, or without a sender.
  wire::Envelope unsealed;
  ASSERT_TRUE(unsealed.ParseFromArray(FirstEnvelopeBytes().data() + 1,
                                      static_cast<int>(FirstEnvelopeBytes().size() - 1)));
  auto with_box = unsealed;
  with_box.set_sealed_box(pb.sealed_box());
  refused(with_box, Errc::kFieldOutOfRange, "an unsealed envelope with a box");
  auto anonymous = unsealed;
  anonymous.clear_sender();
  refused(anonymous, Errc::kFieldOutOfRange, "an unsealed envelope without a sender");
}

TEST_F(SealedWireTest, AProofMustBeWholeAndInItsOneEncoding) {
  auto fk = crypto::GenerateFrankingKey(rng_);
  const Bytes content(100, 0x41);
  const auto proof = Proof();
  auto padded = protocol::EncodePaddedFrame(content, fk, &proof);
  ASSERT_TRUE(padded.has_value());
  auto body = protocol::Unpad(padded->Expose());
  ASSERT_TRUE(body.has_value());
  wire::Frame frame;
  ASSERT_TRUE(frame.ParseFromArray(body->data(), static_cast<int>(body->size())));
  auto repad = [](const std::string& bytes) {
    auto p = protocol::Pad(AsBytes(bytes));
    EXPECT_TRUE(p.has_value());
    return std::move(p).value();
  };
  // Field 3 twice, the certificate in one and the token in the other:
  // protobuf would merge them into a whole proof.
  wire::Frame first = frame, second;
  first.mutable_sealed()->clear_token();
  second.mutable_sealed()->mutable_token()->CopyFrom(frame.sealed().token());
  second.mutable_sealed()->set_token_signature(frame.sealed().token_signature());
  first.mutable_sealed()->clear_token_signature();
  const std::string pieces = first.SerializeAsString() + second.SerializeAsString();
  EXPECT_EQ(protocol::DecodePaddedFrame(repad(pieces).Expose()).error().code(), Errc::kMalformed);
  // A proof without its certificate, or its token.
  wire::Frame no_cert = frame;
  no_cert.mutable_sealed()->clear_certificate();
  EXPECT_EQ(protocol::DecodePaddedFrame(repad(no_cert.SerializeAsString()).Expose()).error().code(),
            Errc::kMissingField);
  wire::Frame no_token = frame;
  no_token.mutable_sealed()->clear_token();
  EXPECT_EQ(protocol::DecodePaddedFrame(repad(no_token.SerializeAsString()).Expose()).error().code(),
            Errc::kMissingField);
  // Sealed content above its cap, even where the bucket would hold it.
  wire::Frame big = frame;
  big.set_content(std::string(kMaxSealedContentBytes + 1, 'x'));
  big.mutable_sealed()->mutable_certificate()->set_account("a");
  auto big_padded = protocol::Pad(AsBytes(big.SerializeAsString()));
  ASSERT_TRUE(big_padded.has_value()) << "it fits the largest bucket";
  EXPECT_EQ(protocol::DecodePaddedFrame(big_padded->Expose()).error().code(),
            Errc::kFieldOutOfRange);
  // DecodeSealedProof on its own.
  const std::string proof_bytes = frame.sealed().SerializeAsString();
  auto decoded = protocol::DecodeSealedProof(AsBytes(proof_bytes));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message();
  EXPECT_EQ(decoded->token_signature, proof.token_signature);
  EXPECT_EQ(protocol::DecodeSealedProof(AsBytes(no_cert.sealed().SerializeAsString()))
                .error()
                .code(),
            Errc::kMissingField);
}

// No receive path checks a proof yet: an unsealed message that carries one
// is refused, not stored with unchecked baggage.
TEST_F(SealedWireTest, AnUnsealedMessageCarryingAProofIsRefused) {
  auto alice = protocol::Session::Initiate(alice_.identity, "alice", bob_.Bundle(rng_), rng_);
  ASSERT_TRUE(alice.has_value());
  auto out = alice->Encrypt("first", rng_);
  ASSERT_TRUE(out.has_value());
  auto delivery = protocol::DecodeDelivery(
      *protocol::EncodeDelivery(out->envelope, kNow, crypto::RelayTag{}));
  ASSERT_TRUE(delivery.has_value());
  auto accepted = protocol::Session::Accept(bob_.identity, "bob", bob_, *delivery, kNow, rng_);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message();
  // The next message, its Frame carrying a proof (a modified sender).
  const auto proof = Proof();
  auto content = protocol::EncodeContent("with a proof");
  ASSERT_TRUE(content.has_value());
  auto crafted = testing::CraftEnvelope(*alice, *content, rng_, &proof);
  ASSERT_TRUE(crafted.has_value()) << crafted.error().message();
  auto d2 = protocol::DecodeDelivery(*protocol::EncodeDelivery(*crafted, kNow, crypto::RelayTag{}));
  ASSERT_TRUE(d2.has_value());
  EXPECT_EQ(accepted->first.Decrypt(*d2, kNow, rng_).error().code(), Errc::kMalformed);
  // The same message without the proof opens: the proof alone was refused.
  auto honest = testing::CraftEnvelope(*alice, *content, rng_);
  ASSERT_TRUE(honest.has_value());
  auto d3 = protocol::DecodeDelivery(*protocol::EncodeDelivery(*honest, kNow, crypto::RelayTag{}));
  ASSERT_TRUE(d3.has_value());
  auto opened = accepted->first.Decrypt(*d3, kNow, rng_);
  ASSERT_TRUE(opened.has_value()) << opened.error().message();
  EXPECT_EQ(opened->text, "with a proof");
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
