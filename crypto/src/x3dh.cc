#include "candor/crypto/x3dh.h"

#include "candor/crypto/franking.h"
#include "candor/crypto/hkdf.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kSpkLabel = "candor/spk/v1";
constexpr std::string_view kX3dhInfo = "candor/x3dh/v1";
constexpr std::string_view kPqxdhInfo = "candor/pqxdh/v1";
constexpr std::string_view kPqSpkLabel = "candor/pqspk/v1";
constexpr std::string_view kPqOpkLabel = "candor/pqopk/v1";
constexpr std::string_view kAdLabel = "candor/ad/v1";

Bytes SignedPrekeyMessage(uint32_t id, const X25519PublicKey& spk) {
  ByteWriter w(kSpkLabel.size() + 4 + kX25519KeyBytes);
  w.PutBytes(AsBytes(kSpkLabel));
  w.PutBe32(id);
  w.PutBytes(spk.bytes());
  return std::move(w).Take();
}

Bytes PqPrekeyMessage(PqPrekeyKind kind, uint32_t id, const MlKem768PublicKey& key) {
  const std::string_view label = kind == PqPrekeyKind::kLastResort ? kPqSpkLabel : kPqOpkLabel;
  ByteWriter w(label.size() + 4 + kMlKem768EncapsulationKeyBytes);
  w.PutBytes(AsBytes(label));
  w.PutBe32(id);
  w.PutBytes(key.bytes());
  return std::move(w).Take();
}

// Feeds DH outputs into the HKDF input as they are computed; any all-zero
// DH aborts the whole derivation.
class KeyMaterial {
 public:
  KeyMaterial() {
    ikm_.Reserve(32 * 6);
    ikm_.Resize(32);
    for (auto& b : ikm_.Expose()) b = 0xFF;
  }
  Result<void> AddDh(const X25519KeyPair& ours, const X25519PublicKey& theirs) {
    CANDOR_ASSIGN_OR_RETURN(auto dh, ours.Dh(theirs));
    ikm_.Append(dh.Expose());
    return Ok();
  }
  // PQXDH: ss goes last, after every DH output.
  void AddKemSecret(const SecretArray<kMlKemSharedSecretBytes>& ss) {
    ikm_.Append(ss.Expose());
    post_quantum_ = true;
  }
  Result<X3dhSecrets> Derive(Bytes associated_data) const {
    const std::array<uint8_t, 32> zero_salt{};
    const std::string_view info = post_quantum_ ? kPqxdhInfo : kX3dhInfo;
    CANDOR_ASSIGN_OR_RETURN(SecretBytes okm,
                            HkdfSha256(zero_salt, ikm_.Expose(), AsBytes(info), 96));
    auto part = [&](size_t i) {
      return std::move(SecretArray<32>::CopyFrom(okm.Expose().subspan(32 * i, 32))).value();
    };
    return X3dhSecrets{part(0), part(1), part(2), std::move(associated_data)};
  }

 private:
  SecretBytes ikm_;
  bool post_quantum_ = false;
};

// The ML-KEM prekey the initiator encapsulates to, in a bundle whose
// signatures VerifyPrekeyBundle checked; nullptr for X3DH (if allowed).
Result<const SignedPqPrekey*> ChoosePqPrekey(const PrekeyBundle& bundle,
                                             ClassicalFallback fallback, PqPrekeyKind& kind) {
  if (!bundle.pq_signed_prekey) {
    if (fallback == ClassicalFallback::kAllow) return nullptr;
    return Error(Errc::kPqPrekeyMissing,
                 "the bundle has no signed ML-KEM prekey (PQXDH), and classical sessions with "
                 "this peer were not allowed");
  }
  if (bundle.pq_one_time_prekey) {
    kind = PqPrekeyKind::kOneTime;
    return &*bundle.pq_one_time_prekey;
  }
  kind = PqPrekeyKind::kLastResort;
  return &*bundle.pq_signed_prekey;
}

}  // namespace

Result<Bytes> X3dhAssociatedData(const Ed25519PublicKey& ik_a, const Ed25519PublicKey& ik_b,
                                 std::string_view account_a, std::string_view account_b) {
  CANDOR_RETURN_IF_ERROR(CheckAccount(account_a));
  CANDOR_RETURN_IF_ERROR(CheckAccount(account_b));
  ByteWriter w;
  w.PutBytes(AsBytes(kAdLabel));
  w.PutBytes(ik_a.bytes());
  w.PutBytes(ik_b.bytes());
  (void)w.PutLengthPrefixed(AsBytes(account_a));  // bounded by CheckAccount
  (void)w.PutLengthPrefixed(AsBytes(account_b));
  return std::move(w).Take();
}

Ed25519Signature SignSignedPrekey(const Ed25519KeyPair& identity, uint32_t id,
                                  const X25519PublicKey& spk) {
  return identity.Sign(SignedPrekeyMessage(id, spk));
}

Result<void> VerifySignedPrekey(const Ed25519PublicKey& identity, uint32_t id,
                                const X25519PublicKey& spk, ByteView signature) {
  if (!identity.Verify(SignedPrekeyMessage(id, spk), signature).has_value()) {
    return Error(Errc::kBadPrekeySignature, "signed prekey signature does not verify");
  }
  return Ok();
}

Ed25519Signature SignPqPrekey(const Ed25519KeyPair& identity, PqPrekeyKind kind, uint32_t id,
                              const MlKem768PublicKey& key) {
  return identity.Sign(PqPrekeyMessage(kind, id, key));
}

Result<void> VerifyPqPrekey(const Ed25519PublicKey& identity, PqPrekeyKind kind, uint32_t id,
                            const MlKem768PublicKey& key, ByteView signature) {
  if (!identity.Verify(PqPrekeyMessage(kind, id, key), signature).has_value()) {
    return Error(Errc::kBadPrekeySignature, "ML-KEM prekey signature does not verify");
  }
  return Ok();
}

Result<void> VerifyPrekeyBundle(const PrekeyBundle& bundle) {
  CANDOR_RETURN_IF_ERROR(VerifySignedPrekey(bundle.identity_key, bundle.signed_prekey_id,
                                            bundle.signed_prekey,
                                            bundle.signed_prekey_signature));
  if (bundle.pq_one_time_prekey && !bundle.pq_signed_prekey) {
    return Error(Errc::kPqPrekeyMissing, "a one-time ML-KEM prekey without a signed one");
  }
  if (bundle.pq_signed_prekey) {
    const SignedPqPrekey& k = *bundle.pq_signed_prekey;
    CANDOR_RETURN_IF_ERROR(
        VerifyPqPrekey(bundle.identity_key, PqPrekeyKind::kLastResort, k.id, k.key, k.signature));
  }
  if (bundle.pq_one_time_prekey) {
    const SignedPqPrekey& k = *bundle.pq_one_time_prekey;
    CANDOR_RETURN_IF_ERROR(
        VerifyPqPrekey(bundle.identity_key, PqPrekeyKind::kOneTime, k.id, k.key, k.signature));
  }
  return Ok();
}

Result<X3dhInitiation> X3dhInitiate(RandomSource& rng, const Ed25519KeyPair& identity,
                                    std::string_view account, const PrekeyBundle& bundle,
                                    ClassicalFallback fallback) {
  // Order matters: the signatures are checked before the prekeys are used.
  CANDOR_RETURN_IF_ERROR(VerifyPrekeyBundle(bundle));
  PqPrekeyKind pq_kind = PqPrekeyKind::kLastResort;
  CANDOR_ASSIGN_OR_RETURN(const SignedPqPrekey* pq, ChoosePqPrekey(bundle, fallback, pq_kind));
  if (bundle.one_time_prekey_id.has_value() != bundle.one_time_prekey.has_value()) {
    return Error(Errc::kInvalidArgument, "one-time prekey id and key must come together");
  }
  CANDOR_ASSIGN_OR_RETURN(Bytes ad, X3dhAssociatedData(identity.public_key(), bundle.identity_key,
                                                   account, bundle.account));
  CANDOR_ASSIGN_OR_RETURN(X25519PublicKey ik_b, bundle.identity_key.ToX25519());
  const X25519KeyPair ik_a = identity.ToX25519();
  X25519KeyPair ek = X25519KeyPair::Generate(rng);

  KeyMaterial km;
  CANDOR_RETURN_IF_ERROR(km.AddDh(ik_a, bundle.signed_prekey));  // DH1
  CANDOR_RETURN_IF_ERROR(km.AddDh(ek, ik_b));                    // DH2
  CANDOR_RETURN_IF_ERROR(km.AddDh(ek, bundle.signed_prekey));    // DH3
  if (bundle.one_time_prekey) {
    CANDOR_RETURN_IF_ERROR(km.AddDh(ek, *bundle.one_time_prekey));  // DH4
  }
  std::optional<PqPrekeyUse> pq_use;
  if (pq != nullptr) {
    MlKemEncapsulation enc = MlKem768Encapsulate(pq->key, rng);
    km.AddKemSecret(enc.shared_secret);
    pq_use = PqPrekeyUse{pq_kind, pq->id, std::move(enc.ciphertext)};
  }
  CANDOR_ASSIGN_OR_RETURN(X3dhSecrets secrets, km.Derive(std::move(ad)));
  return X3dhInitiation{std::move(secrets), ek.public_key(), bundle.signed_prekey_id,
                        bundle.one_time_prekey_id, std::move(pq_use)};
}

Result<X3dhSecrets> X3dhRespond(const Ed25519KeyPair& identity, std::string_view account,
                                const X25519KeyPair& signed_prekey,
                                const X25519KeyPair* one_time_prekey,
                                const Ed25519PublicKey& initiator_identity,
                                std::string_view initiator_account,
                                const X25519PublicKey& initiator_ephemeral,
                                const MlKem768KeyPair* pq_prekey, ByteView pq_ciphertext) {
  if ((pq_prekey == nullptr) != pq_ciphertext.empty()) {
    return Error(Errc::kInvalidArgument, "an ML-KEM prekey and a ciphertext come together");
  }
  CANDOR_ASSIGN_OR_RETURN(Bytes ad, X3dhAssociatedData(initiator_identity, identity.public_key(),
                                                   initiator_account, account));
  CANDOR_ASSIGN_OR_RETURN(X25519PublicKey ik_a, initiator_identity.ToX25519());
  const X25519KeyPair ik_b = identity.ToX25519();

  KeyMaterial km;
  CANDOR_RETURN_IF_ERROR(km.AddDh(signed_prekey, ik_a));         // DH1
  CANDOR_RETURN_IF_ERROR(km.AddDh(ik_b, initiator_ephemeral));   // DH2
  CANDOR_RETURN_IF_ERROR(km.AddDh(signed_prekey, initiator_ephemeral));  // DH3
  if (one_time_prekey != nullptr) {
    CANDOR_RETURN_IF_ERROR(km.AddDh(*one_time_prekey, initiator_ephemeral));  // DH4
  }
  if (pq_prekey != nullptr) {
    CANDOR_ASSIGN_OR_RETURN(auto ss, pq_prekey->Decapsulate(pq_ciphertext));
    km.AddKemSecret(ss);
  }
  return km.Derive(std::move(ad));
}

}  // namespace candor::crypto
