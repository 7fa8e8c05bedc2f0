// Group text messages: what Session::Encrypt/Decrypt are for a pairwise
// conversation, over a sender key (crypto/sender_key.h). The plaintext is the
// same padded Frame { Content, franking key }; the commitment is the group
// one (sender, G, content), and travels in the group envelope for the relay
// to tag each copy.
//
// Decryption is transactional: the member's key advances (in
// IncomingGroupMessage::next) only when everything checked out — signature,
// header, body, padding, Frame, commitment and the content rules.
#ifndef CANDOR_GROUP_GROUP_MESSAGE_H_
#define CANDOR_GROUP_GROUP_MESSAGE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "candor/crypto/ed25519.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/random.h"
#include "candor/crypto/result.h"
#include "candor/crypto/sender_key.h"

namespace candor::group {

struct OutgoingGroupMessage {
  Bytes message;   // crypto::GroupEncrypt's bytes, for the group envelope
  Bytes content;   // serialized Content, kept for history and reports
  crypto::FrankingKey franking_key;
  crypto::FrankingCommitment franking_commitment;
};

struct IncomingGroupMessage {
  std::string text;
  Bytes content;  // verbatim (the commitment covers it)
  crypto::FrankingKey franking_key;
  uint32_t iteration;
  crypto::MemberSenderKey next;  // the member's key after this message
};

// `identity` / `sender`: this device's identity key and account. The content
// rules of a pairwise message (protocol/frame.h: not empty, UTF-8, no
// control character but tab and newline, kMaxContentBytes); on any error the
// key does not advance.
Result<OutgoingGroupMessage> EncryptGroupText(crypto::OwnSenderKey& key,
                                              const crypto::Ed25519PublicKey& identity,
                                              std::string_view sender, std::string_view text,
                                              crypto::RandomSource& rng);
// The same for content already encoded (protocol::EncodeContent: text and
// attachment pointers).
Result<OutgoingGroupMessage> EncryptGroupContent(crypto::OwnSenderKey& key,
                                                 const crypto::Ed25519PublicKey& identity,
                                                 std::string_view sender, Bytes content,
                                                 crypto::RandomSource& rng);

// `commitment`: the group envelope's. crypto::GroupDecrypt's errors, then
// kBadPadding, the Frame's and content's decoding errors, kFrankingMismatch
// (a message whose commitment does not open could never be reported).
Result<IncomingGroupMessage> DecryptGroupText(const crypto::MemberSenderKey& key,
                                              const crypto::Ed25519PublicKey& sender_identity,
                                              std::string_view sender, ByteView commitment,
                                              ByteView message, uint64_t now);

}  // namespace candor::group

#endif  // CANDOR_GROUP_GROUP_MESSAGE_H_
