// Writes the seed corpora under <dir>/<target>/ from real candor messages
// made with the deterministic RNG (no hand-made bytes):
//   candor_fuzz_corpus fuzz/corpus
// Files are named by a hash of their content, so re-running is idempotent
// (but for attachment_blob, whose seeds are replaced: see below).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "candor/crypto/encoding.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/x3dh.h"
#include "candor/protocol/content.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/session.h"
#include "candor/protocol/egress.h"
#include "candor/protocol/report_wire.h"
#include "candor/protocol/sealed_wire.h"
#include "candor/crypto/sealed_box.h"
#include "candor/crypto/sealed_sender.h"
#include "candor/protocol/wire.h"
#include "attachment_fuzzers.h"
#include "group_clients.h"
#include "group_fuzzers.h"
#include "wire_fuzzers.h"

namespace {

using namespace candor;
using namespace candor::protocol;
namespace fs = std::filesystem;

int written = 0;

void Write(const fs::path& root, const char* target, ByteView bytes) {
  const fs::path dir = root / target;
  fs::create_directories(dir);
  const std::string name = ToHex(ByteView(crypto::Sha256(bytes)).first(8));
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ++written;
}

template <typename T>
T Must(Result<T> r) {
  if (!r) {
    std::fprintf(stderr, "corpus: %s\n", r.error().message().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const fs::path root(argv[1]);
  crypto::InsecureDeterministicRandom rng(31337);
  const auto relay = crypto::GenerateRelayKey(rng);
  const auto alice_id = crypto::Ed25519KeyPair::Generate(rng);
  const auto bob_id = crypto::Ed25519KeyPair::Generate(rng);
  const auto spk = crypto::X25519KeyPair::Generate(rng);
  const auto opk = crypto::X25519KeyPair::Generate(rng);
  const auto pq_spk = crypto::MlKem768KeyPair::Generate(rng);
  const auto pq_opk = crypto::MlKem768KeyPair::Generate(rng);
  // PQXDH: a signed (last-resort) and a one-time ML-KEM prekey.
  const crypto::PrekeyBundle with_opk{
      "bob", bob_id.public_key(), 1, spk.public_key(),
      crypto::SignSignedPrekey(bob_id, 1, spk.public_key()), 7, opk.public_key(),
      crypto::SignedPqPrekey{3, pq_spk.public_key(),
                             crypto::SignPqPrekey(bob_id, crypto::PqPrekeyKind::kLastResort, 3,
                                                  pq_spk.public_key())},
      crypto::SignedPqPrekey{9, pq_opk.public_key(),
                             crypto::SignPqPrekey(bob_id, crypto::PqPrekeyKind::kOneTime, 9,
                                                  pq_opk.public_key())}};
  crypto::PrekeyBundle without_opk = with_opk;  // last-resort ML-KEM prekey only
  without_opk.one_time_prekey_id.reset();
  without_opk.one_time_prekey.reset();
  without_opk.pq_one_time_prekey.reset();
  crypto::PrekeyBundle classical = without_opk;  // from a device before PQXDH
  classical.pq_signed_prekey.reset();
  Write(root, "prekey_bundle", Must(EncodePrekeyBundle(with_opk)));
  Write(root, "prekey_bundle", Must(EncodePrekeyBundle(without_opk)));
  Write(root, "prekey_bundle", Must(EncodePrekeyBundle(classical)));

  // A short conversation: prekey messages, a reply, ratchet messages, texts
  // of several sizes (different padding buckets), both directions.
  auto alice = Must(Session::Initiate(alice_id, "alice", with_opk, rng));
  struct Prekeys : PrekeySource {
    const crypto::X25519KeyPair* spk;
    const crypto::X25519KeyPair* opk;
    const crypto::MlKem768KeyPair* pq_spk;
    const crypto::MlKem768KeyPair* pq_opk;
    const crypto::X25519KeyPair* FindSignedPrekey(uint32_t id) override { return id == 1 ? spk : nullptr; }
    const crypto::X25519KeyPair* FindOneTimePrekey(uint32_t id) override { return id == 7 ? opk : nullptr; }
    Result<const crypto::MlKem768KeyPair*> FindPqPrekey(crypto::PqPrekeyKind kind,
                                                        uint32_t id) override {
      if (kind == crypto::PqPrekeyKind::kLastResort) return id == 3 ? pq_spk : nullptr;
      return id == 9 ? pq_opk : nullptr;
    }
    Result<bool> PqRequired() override { return true; }
    Result<bool> LastResortUsed(const LastResortUse&) override { return false; }
  } prekeys;
  prekeys.spk = &spk;
  prekeys.opk = &opk;
  prekeys.pq_spk = &pq_spk;
  prekeys.pq_opk = &pq_opk;
  std::optional<Session> bob;
  uint64_t time = 1'700'000'000;
  std::vector<ReportedMessage> reportable;  // every message, as bob's or alice's store keeps it
  std::string egress_log;                   // the guard's records of what was emitted
  // Writes a message's seeds for every target; decrypts it at `to` unless
  // that already happened.
  auto record = [&](const OutgoingMessage& out, Session& to, bool already_received) {
    const Bytes& envelope = out.envelope;
    Write(root, "envelope", envelope);
    auto egress = Must(CheckEgress(EgressChannel::kRelay, kEnvelopeType, envelope));
    egress.time = time;
    egress_log += EgressRecordToJson(egress) + "\n";
    const Envelope env = Must(DecodeEnvelope(envelope));
    if (env.content_type == ContentType::kPrekeyMessage) {
      Write(root, "prekey_message", env.payload);
    } else {
      Bytes seed(env.franking_commitment.begin(), env.franking_commitment.end());
      seed.insert(seed.end(), env.payload.begin(), env.payload.end());
      Write(root, "ratchet_message", seed);  // commitment || RatchetMessage
    }
    const auto tag = Must(crypto::ComputeRelayTag(relay, env.franking_commitment, env.sender,
                                                  env.recipient, time));
    Write(root, "delivery", Must(EncodeDelivery(envelope, time, tag)));
    Write(root, "relay_ack", Must(EncodeRelayAck(RelayAck{env.recipient, env.franking_commitment, time, tag})));
    Write(root, "frame", Must(EncodePaddedFrame(out.content, out.franking_key)).Expose());
    reportable.push_back(ReportedMessage{env.sender, env.recipient, time, out.content,
                                         out.franking_key.Clone(), env.franking_commitment, tag});
    if (!already_received) (void)Must(to.Decrypt(Must(DecodeDelivery(Must(EncodeDelivery(envelope, time, tag)))), time, rng));
    ++time;
  };
  const std::vector<std::string> texts = {"hi", std::string(300, 'x'), "grüße 🙂", std::string(2000, 'y')};
  for (const auto& t : texts) {
    auto out = Must(alice.Encrypt(t, rng));
    if (!bob) {
      const Envelope env = Must(DecodeEnvelope(out.envelope));
      const auto tag = Must(crypto::ComputeRelayTag(relay, env.franking_commitment, env.sender, env.recipient, time));
      auto accepted = Must(Session::Accept(bob_id, "bob", prekeys,
                                           Must(DecodeDelivery(Must(EncodeDelivery(out.envelope, time, tag)))),
                                           time, rng));
      bob.emplace(std::move(accepted.first));
      record(out, *bob, true);
    } else {
      record(out, *bob, false);
    }
  }
  for (const auto& t : texts) record(Must(bob->Encrypt(t, rng)), alice, false);
  for (const auto& t : texts) record(Must(alice.Encrypt(t, rng)), *bob, false);

  // Session states at both ends, before and after replies.
  Write(root, "session_state", alice.Serialize().Expose());
  Write(root, "session_state", bob->Serialize().Expose());
  auto fresh = Must(Session::Initiate(alice_id, "alice", without_opk, rng));
  Write(root, "session_state", fresh.Serialize().Expose());
  // A classical first message too (the decoder takes it; the responder
  // decides), and its pending session.
  auto old = Must(Session::Initiate(alice_id, "alice", classical, rng,
                                    crypto::ClassicalFallback::kAllow));
  Write(root, "session_state", old.Serialize().Expose());
  Write(root, "prekey_message", Must(DecodeEnvelope(Must(old.Encrypt("hi", rng)).envelope)).payload);

  for (const auto& seed : candor::fuzz::RatchetSeeds()) Write(root, "ratchet_message", seed);
  for (const auto& seed : candor::fuzz::GroupControlSeeds()) Write(root, "group_control", seed);
  for (const auto& seed : candor::fuzz::GroupMessageSeeds()) Write(root, "group_message", seed);
  for (const auto& seed : candor::fuzz::GroupEnvelopeSeeds()) Write(root, "group_envelope", seed);
  for (const auto& seed : candor::fuzz::GroupRecordSeeds()) Write(root, "group_record", seed);
  for (const auto& seed : candor::fuzz::GroupClientsSeeds()) Write(root, "group_clients", seed);

  // Reports: real windows of that conversation as both ends would send them
  // (padded bundles for the moderator's target) and show them (previews).
  // Their relay tags are under `relay`, the key report_fuzzers.cc derives
  // from the same seed, so the seeds verify.
  auto window = [&](size_t end, size_t count, const std::string& reporter, bool drop_tag) {
    const std::string reported = reporter == "bob" ? "alice" : "bob";
    ReportPreview p{{}, ReportBundle{reporter, reported, ReportReason::kHarassment, time, {}}};
    for (size_t i = end - count; i < end; ++i) {
      p.message_ids.push_back(static_cast<int64_t>(i + 1));
      p.bundle.messages.push_back(CopyReportedMessage(reportable[i]));
    }
    if (drop_tag) {
      p.bundle.messages.front().relay_tag.reset();
      p.bundle.messages.front().server_time = 0;
    }
    const Bytes encoded = Must(EncodeReportBundle(p.bundle));
    Write(root, "report_bundle", Must(Pad(encoded, kMaxReportPaddedBytes)).Expose());
    Write(root, "report_preview", AsBytes(Must(ReportPreviewToJson(p, false))));
    Write(root, "report_preview", AsBytes(Must(ReportPreviewToJson(p, true))));
  };
  window(5, 5, "bob", false);
  window(9, 3, "alice", true);
  window(reportable.size(), 1, "bob", false);

  // Egress logs: the conversation's envelopes, plus a bundle and a report.
  {
    auto bundle_record = Must(CheckEgress(EgressChannel::kDirectory, kPrekeyBundleType,
                                          Must(EncodePrekeyBundle(with_opk))));
    ReportBundle b{"bob", "alice", ReportReason::kSpam, time, {}};
    b.messages.push_back(CopyReportedMessage(reportable.front()));
    auto report_record = Must(CheckEgress(EgressChannel::kModeration, kReportBundleType,
                                          Must(EncodeReportBundle(b))));
    const std::string extra = EgressRecordToJson(bundle_record) + "\n" + EgressRecordToJson(report_record) + "\n";
    Write(root, "egress_log", AsBytes(egress_log));
    Write(root, "egress_log", AsBytes(extra));
    Write(root, "egress_log", AsBytes(extra + egress_log.substr(0, egress_log.find('\n') + 1)));
  }

  // Action scripts for the two-party target (pairs of action, argument; see
  // two_party.cc): random ones, and one that walks through every action.
  for (int i = 0; i < 4; ++i) {
    Bytes script(160 + 80 * static_cast<size_t>(i));
    rng.Fill(script);
    Write(root, "two_party", script);
  }
  Bytes walk;
  auto act = [&](uint8_t action, uint8_t arg, int times) {
    for (int t = 0; t < times; ++t) walk.insert(walk.end(), {action, static_cast<uint8_t>(arg + t)});
  };
  act(0, 0, 4);  // Alice sends four prekey messages
  act(3, 1, 2);  // Bob receives two, out of order
  act(2, 0, 3);  // Bob replies three times
  act(5, 2, 3);  // Alice receives them in another order
  act(3, 0, 4);  // redeliveries to Bob: duplicates
  act(6, 0, 1);  // a drop
  act(7, 4, 2);  // tampered copies
  act(0, 0, 3);  // Alice's ratchet messages after the reply
  act(4, 0, 3);
  act(8, 0, 2);  // a crash inside one of Bob's deliveries, then the delivery
  act(3, 1, 1);
  act(9, 0, 6);  // reports from both sides, various messages
  act(10, 0, 1);  // a month on: the replay markers are purged
  act(3, 0, 4);  // redeliveries to Bob: refused by the ratchet alone
  act(5, 0, 3);
  act(0, 0, 2);  // and the conversation goes on
  act(4, 0, 2);
  Write(root, "two_party", walk);

  // The group target (group_party.cc): random scripts, and a walk — every
  // member sends, deliveries in several orders, a tampered copy, a
  // redelivery, carol removed, dave leaving, sends by both afterwards.
  for (int i = 0; i < 4; ++i) {
    Bytes script(120 + 60 * static_cast<size_t>(i));
    rng.Fill(script);
    Write(root, "group_party", script);
  }
  Bytes group_walk;
  auto gact = [&](uint8_t action, uint8_t arg, int times) {
    for (int t = 0; t < times; ++t) {
      group_walk.insert(group_walk.end(), {action, static_cast<uint8_t>(arg + t)});
    }
  };
  gact(0, 0, 4);   // alice, bob, carol, dave send
  gact(2, 3, 6);   // deliveries in some order
  gact(5, 1, 2);   // tampered copies
  gact(6, 0, 2);   // redeliveries
  gact(0, 0, 2);   // alice and bob again
  gact(7, 2, 1);   // alice removes carol
  gact(0, 2, 1);   // carol sends anyway
  gact(0, 0, 2);   // alice (a new key) and bob
  gact(2, 0, 12);  // everything delivered, the departed included
  gact(7, 0x83, 1);  // dave leaves
  gact(0, 3, 1);   // dave sends anyway
  gact(0, 1, 1);
  gact(2, 0, 8);
  Write(root, "group_party", group_walk);

  // Attachment pointers: contents with 0, 1 and 3 attachments, with and
  // without text and each optional field. A separate RNG, so the seeds
  // above stay what they were.
  {
    crypto::InsecureDeterministicRandom arng(16);
    auto pointer = [&](uint64_t length, std::string media_type, std::string file_name,
                       size_t thumbnail) {
      AttachmentPointer p;
      arng.Fill(p.blob_id);
      arng.Fill(p.key.Expose());
      arng.Fill(p.digest);
      p.length = length;
      p.media_type = std::move(media_type);
      p.file_name = std::move(file_name);
      p.thumbnail.resize(thumbnail);
      arng.Fill(p.thumbnail);
      return p;
    };
    MessageContent text_only{"look at this", {}};
    Write(root, "attachment_pointer", Must(EncodeContent(text_only)));
    MessageContent bare{"", {}};
    bare.attachments.push_back(pointer(100, "", "", 0));
    Write(root, "attachment_pointer", Must(EncodeContent(bare)));
    MessageContent photo{"the view from here", {}};
    photo.attachments.push_back(pointer(200000, "image/png", "view.png", 512));
    Write(root, "attachment_pointer", Must(EncodeContent(photo)));
    MessageContent three{"three files\tfor you", {}};
    three.attachments.push_back(pointer(0, "text/plain", "", 0));
    three.attachments.push_back(pointer(65537, "", "notes — été.txt", 0));
    three.attachments.push_back(pointer(kMaxAttachmentBytes, "", "", 64));
    Write(root, "attachment_pointer", Must(EncodeContent(three)));
    MessageContent three_bare{"", {}};
    for (int i = 0; i < 3; ++i) three_bare.attachments.push_back(pointer(1, "", "", 0));
    Write(root, "attachment_pointer", Must(EncodeContent(three_bare)));
  }
  // Sealed sender: a certificate, a token request and response, a sealed
  // envelope (and its delivery and inner plaintext), a sealed Frame, a
  // sealed group acknowledgement. A separate RNG, as above.
  {
    crypto::InsecureDeterministicRandom srng(19);
    const auto directory = crypto::Ed25519KeyPair::Generate(srng);
    const auto moderator = crypto::Ed25519KeyPair::Generate(srng);
    const auto token_key = crypto::GenerateTokenKey(srng);
    const uint64_t now = 1'750'000'000;
    const auto cert = Must(crypto::IssueSenderCertificate(directory, "alice", alice_id.public_key(),
                                                          now + 86'400));
    Write(root, "sender_certificate", Must(EncodeSenderCertificate(cert)));
    std::vector<crypto::Ed25519KeyPair> one_use;
    std::vector<crypto::Ed25519PublicKey> publics;
    std::vector<crypto::ModerationToken> tokens;
    for (int i = 0; i < 3; ++i) {
      one_use.push_back(crypto::Ed25519KeyPair::Generate(srng));
      publics.push_back(one_use.back().public_key());
      tokens.push_back(Must(crypto::IssueModerationToken(token_key, moderator, "alice", now,
                                                         publics.back(), now + 7 * 86'400, srng)));
      Write(root, "token_request", Must(EncodeTokenRequest(publics)));
      Write(root, "token_response", Must(EncodeTokenResponse(tokens)));
    }
    auto sealed_session = Must(Session::Initiate(alice_id, "alice", without_opk, srng));
    const auto out = Must(sealed_session.Encrypt("sealed hello", srng));
    const Envelope plain = Must(DecodeEnvelope(out.envelope));
    const Bytes inner = Must(EncodeSealedInner(SealedInner{"alice", plain.content_type, plain.payload}));
    Write(root, "sealed_inner", inner);
    const auto bob_x = Must(bob_id.public_key().ToX25519());
    const Bytes box = Must(crypto::SealedBoxSeal(bob_x, inner, srng));
    const Bytes sealed = Must(EncodeEnvelope(
        Envelope{"", "bob", plain.franking_commitment, ContentType::kSealed, box}));
    Write(root, "envelope", sealed);
    const auto tag = Must(crypto::ComputeSealedRelayTag(relay, plain.franking_commitment, "bob", now));
    Write(root, "delivery", Must(EncodeDelivery(sealed, now, tag)));
    const auto own = Must(crypto::ComputeSealedRelayTag(relay, plain.franking_commitment, "", now));
    Write(root, "relay_ack", Must(EncodeRelayAck(RelayAck{"", plain.franking_commitment, now, own})));
    const SealedProof proof{cert, tokens[0],
                            Must(crypto::SignSealedCommitment(one_use[0], plain.franking_commitment))};
    Write(root, "frame", Must(EncodePaddedFrame(out.content, out.franking_key, &proof)).Expose());
  }
  // Attachment blobs: libsodium draws each stream header, so these seeds
  // differ on every run; the old ones are replaced rather than piled up.
  fs::remove_all(root / "attachment_blob");
  for (const auto& seed : candor::fuzz::AttachmentBlobSeeds()) Write(root, "attachment_blob", seed);
  std::printf("%d seed files written under %s\n", written, root.c_str());
  return 0;
}
