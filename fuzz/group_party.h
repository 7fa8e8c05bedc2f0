// The stateful group fuzz target: input bytes drive four devices in one
// group (alice, the creator and admin; bob; carol; dave) through the group
// layer — sends, deliveries in any order, drops, duplicates, tampered
// copies, removals, leaves, and sends by a device that is no longer a
// member — with membership changes and sender key distributions carried at
// once over (simulated, in-order) pairwise sessions, and invariants checked
// at every step:
//  - a member decrypts exactly the messages sent to it, each once, with the
//    text sent;
//  - a device that departed decrypts nothing whose sender had applied its
//    departure (it is handed the ciphertext anyway: a colluding relay);
//  - nothing a departed device sends afterwards is accepted by anyone;
//  - every member's view of the group is the same;
//  - a refused delivery changes nothing.
// The store, the client and reports are not part of it yet (docs/groups.md).
#ifndef CANDOR_FUZZ_GROUP_PARTY_H_
#define CANDOR_FUZZ_GROUP_PARTY_H_

#include <cstddef>
#include <cstdint>

namespace candor::fuzz {

void FuzzGroupParty(const uint8_t* data, size_t size);

}  // namespace candor::fuzz

#endif  // CANDOR_FUZZ_GROUP_PARTY_H_
