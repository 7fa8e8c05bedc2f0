#include "candor/group/group_message.h"

#include "candor/crypto/aead.h"
#include "candor/protocol/frame.h"

namespace candor::group {

namespace {

// `content` is checked content (EncodeContent's or DecodeContent's).
Result<OutgoingGroupMessage> EncryptChecked(crypto::OwnSenderKey& key,
                                            const crypto::Ed25519PublicKey& identity,
                                            std::string_view sender, Bytes content,
                                            crypto::RandomSource& source) {
  // The message's randomness (franking key, header nonce) in one draw.
  crypto::PrefetchedRandom rng(source, crypto::kFrankingKeyBytes + crypto::kAeadNonceBytes);
  crypto::FrankingKey fk = crypto::GenerateFrankingKey(rng);
  CANDOR_ASSIGN_OR_RETURN(auto commitment, crypto::ComputeGroupFrankingCommitment(
                                               fk, sender, key.chain.group, content));
  CANDOR_ASSIGN_OR_RETURN(SecretBytes padded, protocol::EncodePaddedFrame(content, fk));
  CANDOR_ASSIGN_OR_RETURN(Bytes message, crypto::GroupEncrypt(key, identity, sender, commitment,
                                                              padded.Expose(), rng));
  return OutgoingGroupMessage{std::move(message), std::move(content), std::move(fk), commitment};
}

}  // namespace

Result<OutgoingGroupMessage> EncryptGroupText(crypto::OwnSenderKey& key,
                                              const crypto::Ed25519PublicKey& identity,
                                              std::string_view sender, std::string_view text,
                                              crypto::RandomSource& source) {
  CANDOR_ASSIGN_OR_RETURN(Bytes content, protocol::EncodeContent(text));
  return EncryptChecked(key, identity, sender, std::move(content), source);
}

Result<OutgoingGroupMessage> EncryptGroupContent(crypto::OwnSenderKey& key,
                                                 const crypto::Ed25519PublicKey& identity,
                                                 std::string_view sender, Bytes content,
                                                 crypto::RandomSource& source) {
  // Never send what a member would refuse.
  CANDOR_RETURN_IF_ERROR(protocol::DecodeContent(content));
  return EncryptChecked(key, identity, sender, std::move(content), source);
}

Result<IncomingGroupMessage> DecryptGroupText(const crypto::MemberSenderKey& key,
                                              const crypto::Ed25519PublicKey& sender_identity,
                                              std::string_view sender, ByteView commitment,
                                              ByteView message, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(crypto::GroupDecryption d,
                          crypto::GroupDecrypt(key, sender_identity, sender, commitment, message,
                                               now));
  CANDOR_ASSIGN_OR_RETURN(protocol::Frame frame, protocol::DecodePaddedFrame(d.plaintext.Expose()));
  // Sealed group messages are not received yet (docs/sealed-sender.md): a
  // proof would go unchecked.
  if (frame.sealed) {
    return Error(Errc::kMalformed, "a sealed-sender proof in a group message");
  }
  CANDOR_RETURN_IF_ERROR(crypto::VerifyGroupFrankingCommitment(
      frame.franking_key, sender, key.chain.group, frame.content, commitment));
  CANDOR_ASSIGN_OR_RETURN(std::string text, protocol::DecodeContentText(frame.content));
  return IncomingGroupMessage{std::move(text), std::move(frame.content),
                              std::move(frame.franking_key), d.iteration, std::move(d.next)};
}

}  // namespace candor::group
