#include "report_fuzzers.h"

#include "candor/crypto/limits.h"
#include "candor/crypto/random.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/report_wire.h"
#include "candor/report/verifier.h"
#include "fuzz_check.h"

namespace candor::fuzz {

namespace {

// The moderation service of the corpus generator (same seed): seeds carry
// real relay tags, so mutations reach the "verified" path too.
struct FixedModeration {
  FixedModeration() {
    crypto::InsecureDeterministicRandom rng(31337);
    relay_key.emplace(crypto::GenerateRelayKey(rng));
    moderator.emplace(crypto::X25519KeyPair::Generate(rng));
  }
  std::optional<crypto::RelayKey> relay_key;
  std::optional<crypto::X25519KeyPair> moderator;
};

const FixedModeration& Moderation() {
  static const FixedModeration fixed;
  return fixed;
}

}  // namespace

void FuzzReportBundle(const uint8_t* data, size_t size) {
  const ByteView padded(data, size);
  if (size > kMaxReportPaddedBytes) return;
  const auto& m = Moderation();
  const Bytes sealed = crypto::SealedBoxSeal(m.moderator->public_key(), padded);
  const report::Verifier verifier(m.moderator->Clone(), m.relay_key->Clone());
  auto verified = verifier.Verify(sealed);

  // The layers the Verifier ran, by hand: they must agree with it.
  auto body = protocol::Unpad(padded, kMaxReportPaddedBytes);
  auto bundle = body ? protocol::DecodeReportBundle(*body) : Result<protocol::ReportBundle>(body.error());
  CANDOR_FUZZ_CHECK(bundle.has_value() == verified.has_value());
  if (!bundle) return;
  CANDOR_FUZZ_CHECK(verified->messages.size() == bundle->messages.size());
  for (size_t i = 0; i < bundle->messages.size(); ++i) {
    const auto& v = verified->messages[i];
    const auto& b = bundle->messages[i];
    CANDOR_FUZZ_CHECK(v.sender == b.sender && v.recipient == b.recipient &&
                      v.server_time == b.server_time);
    // Verified means both franking checks hold.
    if (v.verdict == report::Verdict::kVerified) {
      CANDOR_FUZZ_CHECK(b.relay_tag.has_value());
      CANDOR_FUZZ_CHECK(crypto::VerifyFrankingCommitment(b.franking_key, b.sender, b.recipient,
                                                         b.content, b.commitment).has_value());
      CANDOR_FUZZ_CHECK(crypto::VerifyRelayTag(*m.relay_key, b.commitment, b.sender, b.recipient,
                                               b.server_time, *b.relay_tag).has_value());
    }
  }
  // Round trip: encode, decode, encode again gives the same bytes.
  auto encoded = protocol::EncodeReportBundle(*bundle);
  CANDOR_FUZZ_CHECK(encoded.has_value());
  auto again = protocol::DecodeReportBundle(*encoded);
  CANDOR_FUZZ_CHECK(again.has_value());
  auto reencoded = protocol::EncodeReportBundle(*again);
  CANDOR_FUZZ_CHECK(reencoded.has_value() && *reencoded == *encoded);
}

void FuzzReportPreview(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto preview = protocol::ReportPreviewFromJson(json);
  if (!preview) return;
  auto bytes = protocol::EncodeReportBundle(preview->bundle);
  CANDOR_FUZZ_CHECK(bytes.has_value());
  for (bool pretty : {false, true}) {
    auto printed = protocol::ReportPreviewToJson(*preview, pretty);
    CANDOR_FUZZ_CHECK(printed.has_value());
    auto again = protocol::ReportPreviewFromJson(*printed);
    CANDOR_FUZZ_CHECK(again.has_value());
    CANDOR_FUZZ_CHECK(again->message_ids == preview->message_ids);
    auto again_bytes = protocol::EncodeReportBundle(again->bundle);
    CANDOR_FUZZ_CHECK(again_bytes.has_value() && *again_bytes == *bytes);
  }
}

}  // namespace candor::fuzz
