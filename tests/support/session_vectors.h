// Known-answer vectors for the session layer: a fixed conversation generated
// with InsecureDeterministicRandom(2026). The committed file
// tests/vectors/session_v1.json was produced by candor_session_vectors and
// checked by tests/vectors/verify_session_vectors.py, an independent Python
// implementation of DESIGN.md's constructions; session_vectors_test.cc
// regenerates the conversation and requires the same bytes.
#ifndef CANDOR_TESTS_SUPPORT_SESSION_VECTORS_H_
#define CANDOR_TESTS_SUPPORT_SESSION_VECTORS_H_

#include <string>
#include <utility>
#include <vector>

namespace candor::testing {

// Ordered (name, lower-case hex or decimal string) pairs.
using VectorList = std::vector<std::pair<std::string, std::string>>;

VectorList GenerateSessionVectors();
// The same conversation set up with PQXDH (pqxdh_vectors.cc,
// tests/vectors/pqxdh_v1.json, checked by verify_pqxdh_vectors.py).
VectorList GeneratePqxdhVectors();
// Sender Keys: a distribution and two group messages (group_vectors.cc,
// tests/vectors/group_v1.json, checked by verify_group_vectors.py).
VectorList GenerateGroupVectors();
// Sealed sender: a certificate, a token, a sealed first message and its
// relay tags (sealed_vectors.cc, tests/vectors/sealed_v1.json, checked by
// verify_sealed_vectors.py).
VectorList GenerateSealedVectors();
std::string ToJson(const VectorList& vectors);

}  // namespace candor::testing

#endif  // CANDOR_TESTS_SUPPORT_SESSION_VECTORS_H_
