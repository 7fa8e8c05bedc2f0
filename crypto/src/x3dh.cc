#include "candor/crypto/x3dh.h"

#include "candor/crypto/franking.h"
#include "candor/crypto/hkdf.h"

namespace candor::crypto {
namespace {

constexpr std::string_view kSpkLabel = "candor/spk/v1";
constexpr std::string_view kX3dhInfo = "candor/x3dh/v1";
constexpr std::string_view kAdLabel = "candor/ad/v1";

Bytes SignedPrekeyMessage(uint32_t id, const X25519PublicKey& spk) {
  ByteWriter w(kSpkLabel.size() + 4 + kX25519KeyBytes);
  w.PutBytes(AsBytes(kSpkLabel));
  w.PutBe32(id);
  w.PutBytes(spk.bytes());
  return std::move(w).Take();
}

// Feeds DH outputs into the HKDF input as they are computed; any all-zero
// DH aborts the whole derivation.
class KeyMaterial {
 public:
  KeyMaterial() {
    ikm_.Reserve(32 * 5);
    ikm_.Resize(32);
    for (auto& b : ikm_.Expose()) b = 0xFF;
  }
  Result<void> AddDh(const X25519KeyPair& ours, const X25519PublicKey& theirs) {
    CANDOR_ASSIGN_OR_RETURN(auto dh, ours.Dh(theirs));
    ikm_.Append(dh.Expose());
    return Ok();
  }
  Result<X3dhSecrets> Derive(Bytes associated_data) const {
    const std::array<uint8_t, 32> zero_salt{};
    CANDOR_ASSIGN_OR_RETURN(SecretBytes okm,
                            HkdfSha256(zero_salt, ikm_.Expose(), AsBytes(kX3dhInfo), 96));
    auto part = [&](size_t i) {
      return std::move(SecretArray<32>::CopyFrom(okm.Expose().subspan(32 * i, 32))).value();
    };
    return X3dhSecrets{part(0), part(1), part(2), std::move(associated_data)};
  }

 private:
  SecretBytes ikm_;
};

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

Result<X3dhInitiation> X3dhInitiate(RandomSource& rng, const Ed25519KeyPair& identity,
                                    std::string_view account, const PrekeyBundle& bundle) {
  // Order matters: the signature is checked before the prekey is used.
  CANDOR_RETURN_IF_ERROR(VerifySignedPrekey(bundle.identity_key, bundle.signed_prekey_id,
                                            bundle.signed_prekey,
                                            bundle.signed_prekey_signature));
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
  CANDOR_ASSIGN_OR_RETURN(X3dhSecrets secrets, km.Derive(std::move(ad)));
  return X3dhInitiation{std::move(secrets), ek.public_key(), bundle.signed_prekey_id,
                        bundle.one_time_prekey_id};
}

Result<X3dhSecrets> X3dhRespond(const Ed25519KeyPair& identity, std::string_view account,
                                const X25519KeyPair& signed_prekey,
                                const X25519KeyPair* one_time_prekey,
                                const Ed25519PublicKey& initiator_identity,
                                std::string_view initiator_account,
                                const X25519PublicKey& initiator_ephemeral) {
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
  return km.Derive(std::move(ad));
}

}  // namespace candor::crypto
