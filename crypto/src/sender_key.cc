#include "candor/crypto/sender_key.h"

#include <limits>

#include "aead_raw.h"
#include "candor/crypto/aead.h"
#include "candor/crypto/franking.h"
#include "candor/crypto/kdf.h"
#include "candor/crypto/limits.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kHeaderAd = "candor/ghdr/v1";
constexpr std::string_view kGadLabel = "candor/gad/v1";
constexpr std::string_view kSigLabel = "candor/gsig/v1";
constexpr std::string_view kOwnershipLabel = "candor/skd/v1";
constexpr char kChainContext[] = "candorGK";
constexpr size_t kKidBytes = 4;
constexpr size_t kSignatureBytes = 64;

uint32_t ReadBe32(ByteView b) {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

SecretArray<32> MessageKey(const SecretArray<32>& ck) { return KdfDerive<32>(ck, 1, kChainContext); }
SecretArray<32> NextChainKey(const SecretArray<32>& ck) {
  return KdfDerive<32>(ck, 2, kChainContext);
}

// gad = label || G || IK_sender || lp(sender) || be32(kid) || enc_header || c
Result<Bytes> GroupAd(const GroupId& group, const Ed25519PublicKey& sender_identity,
                      std::string_view sender, uint32_t kid, ByteView encrypted_header,
                      ByteView commitment) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(sender));
  if (commitment.size() != kFrankingCommitmentBytes) {
    return Error(Errc::kInvalidArgument, "a franking commitment is 32 bytes");
  }
  ByteWriter w(kGadLabel.size() + kGroupIdBytes + 32 + 2 + sender.size() + 4 +
               kGroupEncryptedHeaderBytes + kFrankingCommitmentBytes);
  w.PutBytes(AsBytes(kGadLabel));
  w.PutBytes(group);
  w.PutBytes(sender_identity.bytes());
  (void)w.PutLengthPrefixed(AsBytes(sender));  // bounded by CheckAccount
  w.PutBe32(kid);
  w.PutBytes(encrypted_header);
  w.PutBytes(commitment);
  return std::move(w).Take();
}

Bytes SignedPart(ByteView gad, ByteView ciphertext) {
  ByteWriter w(kSigLabel.size() + gad.size() + ciphertext.size());
  w.PutBytes(AsBytes(kSigLabel));
  w.PutBytes(gad);
  w.PutBytes(ciphertext);
  return std::move(w).Take();
}

Result<Bytes> OwnershipMessage(const SenderChain& chain, std::string_view owner,
                               const Ed25519PublicKey& owner_identity, uint32_t epoch) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(owner));
  ByteWriter w(kOwnershipLabel.size() + kGroupIdBytes + 2 + owner.size() + 32 + 8);
  w.PutBytes(AsBytes(kOwnershipLabel));
  w.PutBytes(chain.group);
  (void)w.PutLengthPrefixed(AsBytes(owner));  // bounded by CheckAccount
  w.PutBytes(owner_identity.bytes());
  w.PutBe32(chain.kid);
  w.PutBe32(epoch);
  return std::move(w).Take();
}

}  // namespace

Result<Ed25519Signature> SignSenderKeyOwnership(const OwnSenderKey& key, std::string_view owner,
                                                const Ed25519PublicKey& owner_identity,
                                                uint32_t epoch) {
  CANDOR_ASSIGN_OR_RETURN(Bytes m, OwnershipMessage(key.chain, owner, owner_identity, epoch));
  return key.signing.Sign(m);
}

Result<void> VerifySenderKeyOwnership(const SenderChain& chain,
                                      const Ed25519PublicKey& signing_public,
                                      std::string_view owner,
                                      const Ed25519PublicKey& owner_identity, uint32_t epoch,
                                      ByteView signature) {
  CANDOR_ASSIGN_OR_RETURN(Bytes m, OwnershipMessage(chain, owner, owner_identity, epoch));
  if (!signing_public.Verify(m, signature).has_value()) {
    return Error(Errc::kBadSignature,
                 "the sender key's ownership proof does not verify for that owner");
  }
  return Ok();
}

OwnSenderKey GenerateSenderKey(const GroupId& group, RandomSource& rng) {
  std::array<uint8_t, 4> kid;
  rng.Fill(kid);
  SenderChain chain{group, ReadBe32(kid), 0, SecretArray<32>(), SecretArray<32>()};
  rng.Fill(chain.chain_key.Expose());
  rng.Fill(chain.header_key.Expose());
  return OwnSenderKey{std::move(chain), Ed25519KeyPair::Generate(rng)};
}

Result<uint32_t> GroupMessageKid(ByteView message) {
  if (message.size() < kGroupMessageOverheadBytes) {
    return Error(Errc::kTruncated, "a group message is at least " +
                                       std::to_string(kGroupMessageOverheadBytes) + " bytes");
  }
  return ReadBe32(message.first(kKidBytes));
}

Result<Bytes> GroupEncrypt(OwnSenderKey& key, const Ed25519PublicKey& sender_identity,
                           std::string_view sender, ByteView commitment, ByteView padded,
                           RandomSource& rng) {
  SenderChain& chain = key.chain;
  if (chain.iteration == std::numeric_limits<uint32_t>::max()) {
    return Error(Errc::kInvalidState, "this sender key's iterations are used up");
  }
  // The header: G || be32(n) under HK_G with a fresh random nonce, which is
  // also the body's nonce (one key per message, but a chain rolled back by a
  // restored backup must still never reuse a keystream).
  std::array<uint8_t, kGroupEncryptedHeaderBytes> header;
  rng.Fill(std::span<uint8_t>(header).first(kAeadNonceBytes));
  std::array<uint8_t, kGroupHeaderBytes> plain_header;
  std::copy(chain.group.begin(), chain.group.end(), plain_header.begin());
  for (int i = 0; i < 4; ++i) {
    plain_header[kGroupIdBytes + i] = static_cast<uint8_t>(chain.iteration >> (24 - 8 * i));
  }
  CANDOR_RETURN_IF_ERROR(internal::XChaChaSealRaw(
      chain.header_key.Expose(), ByteView(header).first(kAeadNonceBytes), plain_header,
      AsBytes(kHeaderAd), std::span<uint8_t>(header).subspan(kAeadNonceBytes)));
  CANDOR_ASSIGN_OR_RETURN(Bytes gad, GroupAd(chain.group, sender_identity, sender, chain.kid,
                                             header, commitment));
  const Bytes ciphertext = SealWithSingleUseKey(
      MessageKey(chain.chain_key), ByteView(header).first<kAeadNonceBytes>(), padded, gad);
  const Ed25519Signature sig = key.signing.Sign(SignedPart(gad, ciphertext));

  ByteWriter out(kKidBytes + header.size() + ciphertext.size() + sig.size());
  out.PutBe32(chain.kid);
  out.PutBytes(header);
  out.PutBytes(ciphertext);
  out.PutBytes(sig);
  // Everything that can fail has: the chain advances.
  chain.chain_key = NextChainKey(chain.chain_key);
  ++chain.iteration;
  return std::move(out).Take();
}

Result<GroupDecryption> GroupDecrypt(const MemberSenderKey& key,
                                     const Ed25519PublicKey& sender_identity,
                                     std::string_view sender, ByteView commitment,
                                     ByteView message, uint64_t now) {
  CANDOR_ASSIGN_OR_RETURN(uint32_t kid, GroupMessageKid(message));
  if (kid != key.chain.kid) {
    return Error(Errc::kInvalidKey, "the message is under another sender key");
  }
  const ByteView header = message.subspan(kKidBytes, kGroupEncryptedHeaderBytes);
  const ByteView ciphertext =
      message.subspan(kKidBytes + kGroupEncryptedHeaderBytes,
                      message.size() - kKidBytes - kGroupEncryptedHeaderBytes - kSignatureBytes);
  const ByteView sig = message.last(kSignatureBytes);
  CANDOR_ASSIGN_OR_RETURN(Bytes gad, GroupAd(key.chain.group, sender_identity, sender, kid,
                                             header, commitment));
  // The signature first: it is what makes the message the key owner's, and
  // the cheapest way to drop a forgery by another member (who knows ck).
  if (!key.signing_public.Verify(SignedPart(gad, ciphertext), sig).has_value()) {
    return Error(Errc::kBadSignature, "group message signature does not verify");
  }
  SecretArray<kGroupHeaderBytes> plain_header;
  if (!internal::XChaChaOpenRawInto(key.chain.header_key.Expose(), header.first(kAeadNonceBytes),
                                    header.subspan(kAeadNonceBytes), AsBytes(kHeaderAd),
                                    plain_header.Expose())
           .has_value()) {
    return Error(Errc::kHeaderDecryptFailed, "group header does not open under the sender key");
  }
  const ByteView opened = plain_header.Expose();
  if (!std::equal(key.chain.group.begin(), key.chain.group.end(), opened.begin())) {
    return Error(Errc::kInvalidEncoding, "group header names another group");
  }
  const uint32_t n = ReadBe32(opened.subspan(kGroupIdBytes));

  MemberSenderKey next = key.Clone();
  next.skipped.Expire(now);
  SecretArray<32> mk;
  if (next.final_iteration && n >= *next.final_iteration) {
    return Error(Errc::kInvalidState,
                 "the sender replaced this key before that iteration: refused");
  }
  if (n < next.chain.iteration) {
    std::optional<SecretArray<32>> skipped;
    if (!next.skipped.chains().empty()) skipped = next.skipped.Take(0, n);
    if (!skipped) return Error(Errc::kDuplicateMessage, "group message already received");
    mk = std::move(*skipped);
  } else {
    if (n - next.chain.iteration > kMaxGroupSkip) {
      return Error(Errc::kTooManySkipped, "group message skips too many iterations");
    }
    while (next.chain.iteration < n) {
      next.skipped.Add(next.chain.header_key, next.chain.iteration,
                       MessageKey(next.chain.chain_key), now);
      next.chain.chain_key = NextChainKey(next.chain.chain_key);
      ++next.chain.iteration;
    }
    mk = MessageKey(next.chain.chain_key);
    if (next.chain.iteration == std::numeric_limits<uint32_t>::max()) {
      return Error(Errc::kInvalidState, "this sender key's iterations are used up");
    }
    next.chain.chain_key = NextChainKey(next.chain.chain_key);
    ++next.chain.iteration;
  }
  CANDOR_ASSIGN_OR_RETURN(SecretBytes plaintext,
                          OpenWithSingleUseKey(std::move(mk), header.first<kAeadNonceBytes>(),
                                               ciphertext, gad));
  return GroupDecryption{std::move(plaintext), n, std::move(next)};
}

}  // namespace candor::crypto
