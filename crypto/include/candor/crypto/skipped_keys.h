// Message keys of skipped messages (Double Ratchet spec, MKSKIPPED), grouped
// by the header key of their chain so that header encryption costs one
// header trial per stored chain, not one per stored key.
//
// Bounds (limits.h): at most kMaxSkippedKeys keys per session, the oldest
// evicted first; keys older than kSkippedKeyTtlSeconds are dropped by Expire.
#ifndef CANDOR_CRYPTO_SKIPPED_KEYS_H_
#define CANDOR_CRYPTO_SKIPPED_KEYS_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "candor/crypto/secret.h"

namespace candor::crypto {

class SkippedKeys {
 public:
  struct Key {
    uint32_t n;
    SecretArray<32> message_key;
    uint64_t stored_at;  // caller's clock, Unix seconds
    uint64_t sequence;   // insertion order across chains, for eviction
  };
  struct Chain {
    SecretArray<32> header_key;
    std::deque<Key> keys;  // ascending n (keys are skipped in order)
  };

  SkippedKeys() = default;
  SkippedKeys(SkippedKeys&&) noexcept = default;
  SkippedKeys& operator=(SkippedKeys&&) noexcept = default;
  SkippedKeys Clone() const;

  // Stores a key, evicting the oldest keys beyond kMaxSkippedKeys.
  void Add(const SecretArray<32>& header_key, uint32_t n, SecretArray<32> message_key,
           uint64_t now);
  // Removes and returns the key for message `n` of chain `chain_index`.
  std::optional<SecretArray<32>> Take(size_t chain_index, uint32_t n);
  // Drops keys stored more than kSkippedKeyTtlSeconds before `now`.
  void Expire(uint64_t now);

  const std::vector<Chain>& chains() const { return chains_; }
  size_t size() const { return size_; }
  uint64_t next_sequence() const { return next_sequence_; }

  // For restoring serialized state: appends a key as stored earlier. Keys
  // must come chain by chain in ascending n; limits are enforced.
  void Restore(const SecretArray<32>& header_key, Key key);
  void set_next_sequence(uint64_t next) { next_sequence_ = next; }

 private:
  Chain& ChainFor(const SecretArray<32>& header_key);
  void EvictOldest();
  void DropEmptyChains();

  std::vector<Chain> chains_;
  size_t size_ = 0;
  uint64_t next_sequence_ = 0;
};

}  // namespace candor::crypto

#endif  // CANDOR_CRYPTO_SKIPPED_KEYS_H_
