// Memory for secrets: SecretBytes (variable length) and SecretArray<N> (fixed).
//
// Both are move-only (copying is an explicit Clone()), compare in constant
// time, have no stream/format output, and wipe their bytes with
// sodium_memzero whenever memory is released: SecretBytes through a
// sanitizing allocator (as Tink's SecretData), so a reallocation wipes the old
// buffer too; SecretArray in its destructor and when moved from. The only way
// to the raw bytes is Expose(), so key handling is one grep away in review.
#ifndef CANDOR_CRYPTO_SECRET_H_
#define CANDOR_CRYPTO_SECRET_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "candor/crypto/result.h"

namespace candor {
namespace internal {

// sodium_memzero / sodium_memcmp, kept out of line so sodium.h stays private.
void SecureWipe(void* data, size_t size);
bool ConstantTimeEqual(const void* a, const void* b, size_t size);

// Called by SanitizingAllocator after wiping and before freeing. The default
// does nothing; tests substitute an observer to prove that every released
// buffer was wiped (they inspect it while it is still allocated).
struct NoWipeObserver {
  static void OnWiped(const void* /*data*/, size_t /*size*/) {}
};

}  // namespace internal

template <typename T, typename Observer = internal::NoWipeObserver>
class SanitizingAllocator {
 public:
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = SanitizingAllocator<U, Observer>;
  };

  SanitizingAllocator() = default;
  template <typename U>
  SanitizingAllocator(const SanitizingAllocator<U, Observer>&) {}

  T* allocate(size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, size_t n) {
    internal::SecureWipe(p, n * sizeof(T));
    Observer::OnWiped(p, n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }

  friend bool operator==(const SanitizingAllocator&, const SanitizingAllocator&) {
    return true;
  }
};

// Variable-length secret. The allocator is a template parameter only so tests
// can observe it; everything else uses the SecretBytes alias below.
template <typename Allocator>
class BasicSecretBytes {
 public:
  BasicSecretBytes() = default;
  // `size` zero bytes.
  explicit BasicSecretBytes(size_t size) : bytes_(size) {}
  // Copies bytes that are about to become secret (e.g. just decoded).
  static BasicSecretBytes CopyFrom(std::span<const uint8_t> data) {
    BasicSecretBytes out;
    out.bytes_.assign(data.begin(), data.end());
    return out;
  }

  BasicSecretBytes(BasicSecretBytes&& other) noexcept
      : bytes_(std::move(other.bytes_)) {
    other.Clear();
  }
  BasicSecretBytes& operator=(BasicSecretBytes&& other) noexcept {
    if (this != &other) {
      bytes_ = std::move(other.bytes_);  // our old buffer is wiped on release
      other.Clear();
    }
    return *this;
  }
  BasicSecretBytes(const BasicSecretBytes&) = delete;
  BasicSecretBytes& operator=(const BasicSecretBytes&) = delete;
  ~BasicSecretBytes() = default;  // the allocator wipes

  BasicSecretBytes Clone() const { return CopyFrom(Expose()); }

  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

  // The one accessor for the raw bytes.
  std::span<uint8_t> Expose() { return bytes_; }
  std::span<const uint8_t> Expose() const { return bytes_; }

  void Reserve(size_t capacity) { bytes_.reserve(capacity); }
  void Append(std::span<const uint8_t> data) {
    bytes_.insert(bytes_.end(), data.begin(), data.end());
  }
  // Shrinking wipes the bytes that fall off (they stay in capacity otherwise).
  void Resize(size_t size) {
    if (size < bytes_.size()) {
      internal::SecureWipe(bytes_.data() + size, bytes_.size() - size);
    }
    bytes_.resize(size);
  }
  // Wipes and releases everything.
  void Clear() {
    std::vector<uint8_t, Allocator> released;
    released.swap(bytes_);
  }

  friend bool operator==(const BasicSecretBytes& a, const BasicSecretBytes& b) {
    return a.size() == b.size() &&
           internal::ConstantTimeEqual(a.bytes_.data(), b.bytes_.data(), a.size());
  }

 private:
  std::vector<uint8_t, Allocator> bytes_;
};

using SecretBytes = BasicSecretBytes<SanitizingAllocator<uint8_t>>;

// Fixed-size secret held inline (keys, chain keys). A moved-from SecretArray
// is all zero; it never holds a copy of the moved secret.
template <size_t N>
class SecretArray {
 public:
  static constexpr size_t kSize = N;

  SecretArray() : bytes_{} {}
  // Fails unless `data` is exactly N bytes.
  static Result<SecretArray> CopyFrom(std::span<const uint8_t> data) {
    if (data.size() != N) {
      return Error(Errc::kInvalidKey, "secret has the wrong length");
    }
    SecretArray out;
    std::copy(data.begin(), data.end(), out.bytes_.begin());
    return out;
  }

  SecretArray(SecretArray&& other) noexcept : bytes_(other.bytes_) { other.WipeMovedFrom(); }
  SecretArray& operator=(SecretArray&& other) noexcept {
    if (this != &other) {
      bytes_ = other.bytes_;
      zeroed_ = false;
      other.WipeMovedFrom();
    }
    return *this;
  }
  SecretArray(const SecretArray&) = delete;
  SecretArray& operator=(const SecretArray&) = delete;
  // Skips the wipe only when the bytes are known to be zero already (moved
  // from, untouched since): secret-holding state is moved several times per
  // message, and wiping each husk twice showed up in the profile.
  ~SecretArray() {
    if (!zeroed_) Wipe();
  }

  SecretArray Clone() const {
    SecretArray out;
    out.bytes_ = bytes_;
    return out;
  }

  static constexpr size_t size() { return N; }
  // Write access may put a secret back, so it clears the zeroed mark.
  std::span<uint8_t, N> Expose() {
    zeroed_ = false;
    return bytes_;
  }
  std::span<const uint8_t, N> Expose() const { return bytes_; }

  void Wipe() { internal::SecureWipe(bytes_.data(), N); }

  friend bool operator==(const SecretArray& a, const SecretArray& b) {
    return internal::ConstantTimeEqual(a.bytes_.data(), b.bytes_.data(), N);
  }

 private:
  void WipeMovedFrom() {
    Wipe();
    zeroed_ = true;
  }

  std::array<uint8_t, N> bytes_;
  bool zeroed_ = false;  // true only while bytes_ is known to be all zero
};

}  // namespace candor

#endif  // CANDOR_CRYPTO_SECRET_H_
