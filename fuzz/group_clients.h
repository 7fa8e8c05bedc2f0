// The stateful group fuzz target over clients and their SQLCipher stores:
// input bytes drive four devices (alice, the group's admin; bob and carol,
// members; dave, outside) through candor::Client — group sends, deliveries
// in any order, duplicates, drops, removals and additions by alice,
// leaves, and reports checked by the moderator's Verifier — all through the
// reference relay. Each input plays on a copy of stores made once per
// process. Invariants at every step:
//  - a group message is read only by a device its sender counted as a
//    member when it sent it, with the text sent, once, and only while the
//    sender is a member in the reader's own view (a departed member's
//    messages are refused once its departure is applied);
//  - an honest report is never forged, and every message it verifies was
//    sent so by its sender.
// Tampered copies and crashes are the group_party target's and the SIGKILL
// test's (a flipped relay tag is accepted by a recipient, who cannot check
// it, and would make an honest report forged).
#ifndef CANDOR_FUZZ_GROUP_CLIENTS_H_
#define CANDOR_FUZZ_GROUP_CLIENTS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace candor::fuzz {

void FuzzGroupClients(const uint8_t* data, size_t size);
std::vector<std::vector<uint8_t>> GroupClientsSeeds();

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_GROUP_CLIENTS_H_
