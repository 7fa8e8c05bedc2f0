#include "candor/protocol/session.h"

#include "candor/crypto/aead.h"
#include "candor/crypto/hash.h"
#include "candor/crypto/sealed_box.h"
#include "candor/protocol/frame.h"
#include "candor/protocol/group_wire.h"
#include "wire_internal.h"

namespace candor::protocol {
namespace {

Bytes DigestPqCiphertext(ByteView ciphertext) {
  static_assert(kPqCiphertextDigestBytes == crypto::kBlake2b256Bytes);
  const auto digest = crypto::Blake2b256(ciphertext);
  return Bytes(digest.begin(), digest.end());
}

}  // namespace

Result<Session> Session::Initiate(const crypto::Ed25519KeyPair& identity,
                                  std::string_view local_account,
                                  const crypto::PrekeyBundle& bundle, crypto::RandomSource& rng,
                                  crypto::ClassicalFallback fallback) {
  CANDOR_ASSIGN_OR_RETURN(auto init,
                          crypto::X3dhInitiate(rng, identity, local_account, bundle, fallback));
  CANDOR_ASSIGN_OR_RETURN(auto ratchet, crypto::RatchetInitInitiator(std::move(init.secrets),
                                                                     bundle.signed_prekey, rng));
  PendingPrekey pending{init.ephemeral_key, init.signed_prekey_id, init.one_time_prekey_id,
                        std::nullopt, 0, {}};
  if (init.pq) {
    pending.pq_kind = init.pq->kind;
    pending.pq_prekey_id = init.pq->id;
    pending.pq_ciphertext = std::move(init.pq->ciphertext);
  }
  const bool post_quantum = pending.pq_kind.has_value();
  return Session(std::string(local_account), bundle.account, identity.public_key(),
                 bundle.identity_key, std::move(ratchet), post_quantum, std::move(pending));
}

Result<std::pair<Session, IncomingMessage>> Session::Accept(
    const crypto::Ed25519KeyPair& identity, std::string_view local_account,
    PrekeySource& prekeys, const Delivery& delivery, uint64_t now, crypto::RandomSource& rng,
    bool sealed) {
  const Envelope& env = delivery.envelope;
  if (env.recipient != local_account) {
    return Error(Errc::kWrongPeer, "envelope is addressed to another account");
  }
  if (env.content_type != ContentType::kPrekeyMessage) {
    return Error(Errc::kInvalidState, "no session with the sender, and this is no prekey message");
  }
  CANDOR_ASSIGN_OR_RETURN(PrekeyMessage msg, DecodePrekeyMessage(env.payload));
  const crypto::X25519KeyPair* spk = prekeys.FindSignedPrekey(msg.signed_prekey_id);
  if (spk == nullptr) return Error(Errc::kInvalidKey, "unknown signed prekey id");
  const crypto::X25519KeyPair* opk = nullptr;
  if (msg.one_time_prekey_id) {
    opk = prekeys.FindOneTimePrekey(*msg.one_time_prekey_id);
    if (opk == nullptr) {
      return Error(Errc::kInvalidKey, "one-time prekey unknown or already used");
    }
  }
  // No downgrade: once this device published an ML-KEM prekey, only the
  // initiator's own explicit choice could make a classical first message,
  // and a man in the middle stripping the ML-KEM fields must not succeed.
  const crypto::MlKem768KeyPair* pq = nullptr;
  std::optional<LastResortUse> last_resort;
  if (!msg.pq) {
    CANDOR_ASSIGN_OR_RETURN(bool required, prekeys.PqRequired());
    if (required) {
      return Error(Errc::kPqPrekeyMissing,
                   "a classical (X3DH) first message to a device that publishes ML-KEM "
                   "prekeys: refused");
    }
  } else {
    CANDOR_ASSIGN_OR_RETURN(pq, prekeys.FindPqPrekey(msg.pq->kind, msg.pq->id));
    if (pq == nullptr) {
      return Error(Errc::kInvalidKey, "ML-KEM prekey unknown, retired or already used");
    }
    if (msg.pq->kind == crypto::PqPrekeyKind::kLastResort) {
      last_resort = LastResortUse{msg.signed_prekey_id, msg.pq->id, msg.ephemeral_key};
      CANDOR_ASSIGN_OR_RETURN(bool used, prekeys.LastResortUsed(*last_resort));
      if (used) {
        return Error(Errc::kDuplicateMessage,
                     "this first message's setup was already received on the last-resort "
                     "ML-KEM prekey");
      }
    }
  }
  CANDOR_ASSIGN_OR_RETURN(
      auto secrets,
      crypto::X3dhRespond(identity, local_account, *spk, opk, msg.identity_key, env.sender,
                          msg.ephemeral_key, pq, msg.pq ? ByteView(msg.pq->ciphertext) : ByteView()));
  PendingPrekey accepted{msg.ephemeral_key, msg.signed_prekey_id, msg.one_time_prekey_id,
                         std::nullopt, 0, {}};
  if (msg.pq) {
    accepted.pq_kind = msg.pq->kind;
    accepted.pq_prekey_id = msg.pq->id;
    accepted.pq_ciphertext = DigestPqCiphertext(msg.pq->ciphertext);
  }
  Session session(std::string(local_account), env.sender, identity.public_key(),
                  msg.identity_key, crypto::RatchetInitResponder(std::move(secrets), spk->Clone()),
                  msg.pq.has_value(), std::nullopt, std::move(accepted));
  CANDOR_ASSIGN_OR_RETURN(IncomingMessage first, session.Decrypt(delivery, now, rng, sealed));
  first.consumed_one_time_prekey = msg.one_time_prekey_id;
  if (msg.pq && msg.pq->kind == crypto::PqPrekeyKind::kOneTime) {
    first.consumed_pq_one_time_prekey = msg.pq->id;
  }
  first.last_resort_use = last_resort;
  return std::pair<Session, IncomingMessage>(std::move(session), std::move(first));
}

Result<OutgoingMessage> Session::Encrypt(std::string_view text, crypto::RandomSource& source) {
  CANDOR_ASSIGN_OR_RETURN(Bytes content, EncodeContent(text));
  return EncryptContent(std::move(content), source);
}

Result<OutgoingMessage> Session::EncryptEncoded(Bytes content, crypto::RandomSource& source) {
  CANDOR_RETURN_IF_ERROR(DecodeContent(content));
  return EncryptContent(std::move(content), source);
}

Result<OutgoingMessage> Session::EncryptSealed(Bytes content, const SealedCredential& credential,
                                               crypto::RandomSource& source) {
  CANDOR_RETURN_IF_ERROR(DecodeContent(content));
  return EncryptContent(std::move(content), source, &credential);
}

Result<OutgoingMessage> Session::EncryptGroupControl(const CheckedGroupControl& control,
                                                     crypto::RandomSource& source) {
  CANDOR_ASSIGN_OR_RETURN(OutgoingMessage out,
                          EncryptContent(Bytes(control.bytes().begin(), control.bytes().end()),
                                         source));
  // A control message is no message of the history, and a distribution
  // holds keys: its plaintext is not handed back.
  candor::internal::SecureWipe(out.content.data(), out.content.size());
  out.content.clear();
  return out;
}

Result<OutgoingMessage> Session::EncryptContent(Bytes content, crypto::RandomSource& source,
                                                const SealedCredential* sealed) {
  // The message's randomness (franking key, then the header nonce) in one
  // draw: one system call per message instead of two.
  crypto::PrefetchedRandom rng(source, crypto::kFrankingKeyBytes + crypto::kAeadNonceBytes);
  crypto::FrankingKey fk = crypto::GenerateFrankingKey(rng);
  CANDOR_ASSIGN_OR_RETURN(auto commitment, crypto::ComputeFrankingCommitment(
                                               fk, local_account_, remote_account_, content));
  std::optional<SealedProof> proof;
  std::optional<crypto::X25519PublicKey> box_key;
  if (sealed != nullptr) {
    // The one-use key signs c, which binds both accounts and the content.
    CANDOR_ASSIGN_OR_RETURN(crypto::Ed25519Signature tsig,
                            crypto::SignSealedCommitment(sealed->one_use_key, commitment));
    proof = SealedProof{sealed->certificate, sealed->token, tsig};
    if (!remote_box_key_) {
      CANDOR_ASSIGN_OR_RETURN(remote_box_key_, remote_identity_.ToX25519());
    }
    box_key = remote_box_key_;
  }
  CANDOR_ASSIGN_OR_RETURN(SecretBytes padded,
                          EncodePaddedFrame(content, fk, proof ? &*proof : nullptr));
  Bytes proof_bytes;
  if (proof) {
    CANDOR_ASSIGN_OR_RETURN(proof_bytes, EncodeSealedProof(*proof));
  }
  // Everything that can fail on input has been checked: from here on the
  // ratchet advances and the message is built.
  CANDOR_ASSIGN_OR_RETURN(auto ct, crypto::RatchetEncrypt(ratchet_, padded.Expose(), commitment, rng));
  Envelope env{local_account_, remote_account_, commitment, ContentType::kRatchetMessage, {}};
  if (pending_) {
    env.content_type = ContentType::kPrekeyMessage;
    std::optional<crypto::PqPrekeyUse> pq;
    if (pending_->pq_kind) {
      pq = crypto::PqPrekeyUse{*pending_->pq_kind, pending_->pq_prekey_id,
                               pending_->pq_ciphertext};
    }
    CANDOR_ASSIGN_OR_RETURN(env.payload,
                            EncodePrekeyMessage(PrekeyMessage{
                                local_identity_, pending_->ephemeral_key,
                                pending_->signed_prekey_id, pending_->one_time_prekey_id,
                                std::move(ct), std::move(pq)}));
  } else if (sealed != nullptr) {
    CANDOR_ASSIGN_OR_RETURN(env.payload, EncodeRatchetMessage(ct));
  } else {
    // The common case, encoded in one pass.
    CANDOR_ASSIGN_OR_RETURN(Bytes envelope, internal::EncodeRatchetEnvelope(
                                                local_account_, remote_account_, commitment, ct));
    return OutgoingMessage{std::move(envelope), std::move(content), std::move(fk), commitment};
  }
  if (sealed != nullptr) {
    // The sender and the message go into a box only the peer opens; the
    // envelope keeps the recipient and c, which the relay needs.
    CANDOR_ASSIGN_OR_RETURN(Bytes inner, EncodeSealedInner(SealedInner{
                                             local_account_, env.content_type, env.payload}));
    CANDOR_ASSIGN_OR_RETURN(Bytes box, crypto::SealedBoxSeal(*box_key, inner, source));
    env = Envelope{"", remote_account_, commitment, ContentType::kSealed, std::move(box)};
  }
  CANDOR_ASSIGN_OR_RETURN(Bytes envelope, EncodeEnvelope(env));
  return OutgoingMessage{std::move(envelope), std::move(content), std::move(fk), commitment,
                         std::move(proof_bytes)};
}

Result<crypto::RatchetCiphertext> Session::PrekeyInner(const Envelope& env) const {
  CANDOR_ASSIGN_OR_RETURN(PrekeyMessage msg, DecodePrekeyMessage(env.payload));
  if (!(msg.identity_key == remote_identity_)) {
    return Error(Errc::kWrongPeer, "prekey message from a different identity key");
  }
  // Found by the two-party fuzzer: these fields are outside the ratchet's
  // authentication, so a copy with any of them changed would still decrypt.
  if (!accepted_ || !(msg.ephemeral_key == accepted_->ephemeral_key) ||
      msg.signed_prekey_id != accepted_->signed_prekey_id ||
      msg.one_time_prekey_id != accepted_->one_time_prekey_id ||
      msg.pq.has_value() != accepted_->pq_kind.has_value()) {
    return Error(Errc::kWrongPeer, "prekey message does not match this session's X3DH parameters");
  }
  if (msg.pq && (msg.pq->kind != *accepted_->pq_kind || msg.pq->id != accepted_->pq_prekey_id ||
                 DigestPqCiphertext(msg.pq->ciphertext) != accepted_->pq_ciphertext)) {
    return Error(Errc::kWrongPeer, "prekey message does not match this session's PQXDH parameters");
  }
  return std::move(msg.message);
}

Result<IncomingMessage> Session::Decrypt(const Delivery& delivery, uint64_t now,
                                         crypto::RandomSource& rng, bool sealed) {
  const Envelope& env = delivery.envelope;
  if (env.recipient != local_account_ || env.sender != remote_account_) {
    return Error(Errc::kWrongPeer, "envelope is not between this session's accounts");
  }
  // Ratchet messages are read in place (a view valid until the next decode
  // on this thread); prekey messages, rarer, are decoded into their own copy.
  std::optional<crypto::RatchetCiphertext> prekey_inner;
  internal::RatchetMessageView inner;
  if (env.content_type == ContentType::kGroupMessage) {
    return Error(Errc::kInvalidState, "a group message is not for a pairwise session");
  }
  if (env.content_type == ContentType::kRatchetMessage) {
    CANDOR_ASSIGN_OR_RETURN(inner, internal::DecodeRatchetMessageView(env.payload));
  } else {
    CANDOR_ASSIGN_OR_RETURN(prekey_inner, PrekeyInner(env));
    inner = {prekey_inner->header, prekey_inner->body};
  }
  // Used in place: the successor state is moved once, into ratchet_.
  auto result = crypto::RatchetDecrypt(ratchet_, inner.header, inner.body,
                                       env.franking_commitment, now, rng);
  if (!result.has_value()) return result.error();
  crypto::RatchetDecryption& decrypted = *result;
  CANDOR_ASSIGN_OR_RETURN(Frame frame, DecodePaddedFrame(decrypted.plaintext.Expose()));
  // A proof belongs to a sealed envelope only (and is checked there): in
  // an envelope that names its sender it would be unchecked baggage. A
  // sealed envelope without one has nothing that authenticates its sender.
  if (frame.sealed && !sealed) {
    return Error(Errc::kMalformed, "a sealed-sender proof in a message sent unsealed");
  }
  if (sealed && !frame.sealed) {
    return Error(Errc::kBadSenderCertificate, "a sealed message without its sender's proof");
  }
  // Receiver binding: a message whose commitment does not open could never
  // be reported, so it is refused outright.
  CANDOR_RETURN_IF_ERROR(crypto::VerifyFrankingCommitment(
      frame.franking_key, env.sender, env.recipient, frame.content, env.franking_commitment));
  // A Content (text), or a group control message: both are checked whole
  // before the session advances.
  std::string text;
  const bool group_control = IsGroupControl(frame.content);
  if (group_control) {
    CANDOR_RETURN_IF_ERROR(CheckGroupControl(frame.content));
  } else {
    CANDOR_ASSIGN_OR_RETURN(text, DecodeContentText(frame.content));
  }

  ratchet_ = std::move(decrypted.next);  // the commit point
  pending_.reset();                      // the peer has a session with us now
  return IncomingMessage{env.sender,
                         env.recipient,
                         std::move(text),
                         std::move(frame.content),
                         std::move(frame.franking_key),
                         env.franking_commitment,
                         delivery.server_time,
                         delivery.relay_tag,
                         std::nullopt,
                         std::nullopt,
                         std::nullopt,
                         group_control,
                         std::move(frame.sealed)};
}

}  // namespace candor::protocol
