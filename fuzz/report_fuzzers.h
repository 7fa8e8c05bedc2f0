// Fuzz targets for the report formats: what a moderator opens and what a
// user's preview file holds — both can be shaped by a hostile party.
#ifndef CANDOR_FUZZ_REPORT_FUZZERS_H_
#define CANDOR_FUZZ_REPORT_FUZZERS_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

// Input: a padded report plaintext (0x01 || ReportBundle || 0x80 || 0...).
// It is sealed to a fixed moderator key and opened by the Verifier (so the
// box, padding, decoding and every verdict path run), and a bundle that
// decodes must round-trip. (Random bytes would never open a sealed box, so
// sealing happens here rather than in the corpus.)
void FuzzReportBundle(const uint8_t* data, size_t size);

// Input: a preview JSON document. One that parses must print and parse back
// to the same bundle bytes and ids.
void FuzzReportPreview(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_REPORT_FUZZERS_H_
