#include "wire_fuzzers.h"

#include <optional>

#include "candor/crypto/x3dh.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/protocol/session.h"
#include "candor/protocol/wire.h"
#include "fuzz_check.h"

namespace candor::fuzz {

using namespace candor::protocol;

namespace {

bool SameBundle(const crypto::PrekeyBundle& a, const crypto::PrekeyBundle& b) {
  return a.account == b.account && a.identity_key == b.identity_key &&
         a.signed_prekey_id == b.signed_prekey_id && a.signed_prekey == b.signed_prekey &&
         a.signed_prekey_signature == b.signed_prekey_signature &&
         a.one_time_prekey_id == b.one_time_prekey_id && a.one_time_prekey == b.one_time_prekey;
}

bool SameEnvelope(const Envelope& a, const Envelope& b) {
  return a.sender == b.sender && a.recipient == b.recipient &&
         a.franking_commitment == b.franking_commitment && a.content_type == b.content_type &&
         a.payload == b.payload;
}

bool SameCiphertext(const crypto::RatchetCiphertext& a, const crypto::RatchetCiphertext& b) {
  return a.header == b.header && a.body == b.body;
}

}  // namespace

void FuzzPrekeyBundle(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodePrekeyBundle, EncodePrekeyBundle, SameBundle);
}

void FuzzEnvelope(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodeEnvelope, EncodeEnvelope, SameEnvelope);
  // The payload decoder the envelope names must not crash on what it carries.
  auto e = DecodeEnvelope(ByteView(data, size));
  if (!e) return;
  if (e->content_type == ContentType::kRatchetMessage) {
    (void)DecodeRatchetMessage(e->payload);
  } else if (e->content_type == ContentType::kPrekeyMessage) {
    (void)DecodePrekeyMessage(e->payload);
  } else if (e->content_type == ContentType::kGroupMessage) {
    (void)DecodeGroupMessage(e->payload);
  }  // kSealed: a box only its recipient opens (sealed_inner fuzzes what is inside)
}

void FuzzDelivery(const uint8_t* data, size_t size) {
  RoundTrip(
      ByteView(data, size), DecodeDelivery,
      [](const Delivery& d) { return EncodeDelivery(d.envelope_bytes, d.server_time, d.relay_tag); },
      [](const Delivery& a, const Delivery& b) {
        return a.envelope_bytes == b.envelope_bytes && a.server_time == b.server_time &&
               a.relay_tag == b.relay_tag && SameEnvelope(a.envelope, b.envelope);
      });
}

void FuzzRelayAck(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodeRelayAck, EncodeRelayAck,
            [](const RelayAck& a, const RelayAck& b) {
              return a.recipient == b.recipient && a.franking_commitment == b.franking_commitment &&
                     a.server_time == b.server_time && a.relay_tag == b.relay_tag;
            });
}

void FuzzPrekeyMessage(const uint8_t* data, size_t size) {
  RoundTrip(ByteView(data, size), DecodePrekeyMessage, EncodePrekeyMessage,
            [](const PrekeyMessage& a, const PrekeyMessage& b) {
              return a.identity_key == b.identity_key && a.ephemeral_key == b.ephemeral_key &&
                     a.signed_prekey_id == b.signed_prekey_id &&
                     a.one_time_prekey_id == b.one_time_prekey_id &&
                     SameCiphertext(a.message, b.message);
            });
}

void FuzzFrame(const uint8_t* data, size_t size) {
  auto f = DecodePaddedFrame(ByteView(data, size));
  if (!f) return;
  auto padded = EncodePaddedFrame(f->content, f->franking_key,
                                  f->sealed ? &*f->sealed : nullptr);
  CANDOR_FUZZ_CHECK(padded.has_value());
  auto again = DecodePaddedFrame(padded->Expose());
  CANDOR_FUZZ_CHECK(again.has_value() && again->content == f->content &&
                    again->franking_key == f->franking_key &&
                    again->sealed.has_value() == f->sealed.has_value());
  if (f->sealed) {
    auto proof = EncodeSealedProof(*f->sealed);
    auto proof_again = EncodeSealedProof(*again->sealed);
    CANDOR_FUZZ_CHECK(proof.has_value() && proof_again.has_value() && *proof == *proof_again);
  }
  auto text = DecodeContentText(f->content);
  if (!text) return;
  auto content = EncodeContent(*text);
  CANDOR_FUZZ_CHECK(content.has_value());
  auto text_again = DecodeContentText(*content);
  CANDOR_FUZZ_CHECK(text_again.has_value() && *text_again == *text);
}

void FuzzSessionState(const uint8_t* data, size_t size) {
  auto s = Session::Deserialize(ByteView(data, size));
  if (!s) return;
  const SecretBytes once = s->Serialize();
  auto again = Session::Deserialize(once.Expose());
  CANDOR_FUZZ_CHECK(again.has_value());
  CANDOR_FUZZ_CHECK(again->Serialize() == once);
}

namespace {

// Bob's side of a session that has received one message from Alice: the
// fuzzer's ratchet messages are decrypted against copies of it.
struct FixedSession {
  FixedSession() {
    crypto::InsecureDeterministicRandom rng(8);
    auto alice_id = crypto::Ed25519KeyPair::Generate(rng);
    auto bob_id = crypto::Ed25519KeyPair::Generate(rng);
    auto spk = crypto::X25519KeyPair::Generate(rng);
    crypto::PrekeyBundle bundle{"bob", bob_id.public_key(), 1, spk.public_key(),
                                crypto::SignSignedPrekey(bob_id, 1, spk.public_key()),
                                std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    auto created = Session::Initiate(alice_id, "alice", bundle, rng,
                                     crypto::ClassicalFallback::kAllow);
    CANDOR_FUZZ_CHECK(created.has_value());
    alice.emplace(std::move(created).value());
    auto out = alice->Encrypt("hello", rng);
    CANDOR_FUZZ_CHECK(out.has_value());
    auto env = DecodeEnvelope(out->envelope);
    auto pm = DecodePrekeyMessage(env->payload);
    auto secrets = crypto::X3dhRespond(bob_id, "bob", spk, nullptr, alice_id.public_key(), "alice",
                                       pm->ephemeral_key);
    CANDOR_FUZZ_CHECK(secrets.has_value());
    bob.emplace(crypto::RatchetInitResponder(std::move(secrets).value(), spk.Clone()));
    auto first = crypto::RatchetDecrypt(*bob, pm->message.header, pm->message.body,
                                        env->franking_commitment, 1000, rng);
    CANDOR_FUZZ_CHECK(first.has_value());
    bob.emplace(std::move(first->next));
  }
  std::optional<Session> alice;
  std::optional<crypto::RatchetState> bob;
};

FixedSession& Fixed() {
  static FixedSession fixed;
  return fixed;
}

}  // namespace

std::vector<std::vector<uint8_t>> RatchetSeeds() {
  // Alice's next messages (the third skips the second, exercising skipped
  // keys); each seed is commitment || RatchetMessage.
  crypto::InsecureDeterministicRandom rng(10);
  std::vector<std::vector<uint8_t>> seeds;
  for (const char* text : {"second", "third", "a longer fourth message, to reach another bucket"}) {
    auto out = Fixed().alice->Encrypt(text, rng);
    CANDOR_FUZZ_CHECK(out.has_value());
    auto env = DecodeEnvelope(out->envelope);
    auto pm = DecodePrekeyMessage(env->payload);
    auto rm = EncodeRatchetMessage(pm->message);
    CANDOR_FUZZ_CHECK(rm.has_value());
    std::vector<uint8_t> seed(env->franking_commitment.begin(), env->franking_commitment.end());
    seed.insert(seed.end(), rm->begin(), rm->end());
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

void FuzzRatchetMessage(const uint8_t* data, size_t size) {
  if (size < crypto::kFrankingCommitmentBytes) return;
  crypto::FrankingCommitment commitment;
  std::copy(data, data + commitment.size(), commitment.begin());
  const ByteView message = ByteView(data, size).subspan(commitment.size());
  RoundTrip(message, DecodeRatchetMessage, EncodeRatchetMessage, SameCiphertext);
  auto m = DecodeRatchetMessage(message);
  if (!m) return;
  crypto::InsecureDeterministicRandom rng(9);
  const crypto::RatchetState& bob = *Fixed().bob;
  auto d = crypto::RatchetDecrypt(bob, m->header, m->body, commitment, 1000, rng);
  if (d.has_value()) {
    // A message that decrypts is a Frame the padding/Frame decoders accept
    // or refuse, never crash on.
    (void)DecodePaddedFrame(d->plaintext.Expose());
  }
}

}  // namespace candor::fuzz
