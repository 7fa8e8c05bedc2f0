#include "candor/crypto/skipped_keys.h"

#include <algorithm>

#include "candor/crypto/limits.h"

namespace candor::crypto {

SkippedKeys SkippedKeys::Clone() const {
  SkippedKeys out;
  out.chains_.reserve(chains_.size());
  for (const Chain& c : chains_) {
    Chain copy{c.header_key.Clone(), {}};
    for (const Key& k : c.keys) {
      copy.keys.push_back(Key{k.n, k.message_key.Clone(), k.stored_at, k.sequence});
    }
    out.chains_.push_back(std::move(copy));
  }
  out.size_ = size_;
  out.next_sequence_ = next_sequence_;
  return out;
}

SkippedKeys::Chain& SkippedKeys::ChainFor(const SecretArray<32>& header_key) {
  for (Chain& c : chains_) {
    if (c.header_key == header_key) return c;
  }
  chains_.push_back(Chain{header_key.Clone(), {}});
  return chains_.back();
}

void SkippedKeys::Add(const SecretArray<32>& header_key, uint32_t n,
                      SecretArray<32> message_key, uint64_t now) {
  ChainFor(header_key).keys.push_back(Key{n, std::move(message_key), now, next_sequence_++});
  ++size_;
  while (size_ > kMaxSkippedKeys) EvictOldest();
}

void SkippedKeys::Restore(const SecretArray<32>& header_key, Key key) {
  next_sequence_ = std::max(next_sequence_, key.sequence + 1);
  ChainFor(header_key).keys.push_back(std::move(key));
  ++size_;
  while (size_ > kMaxSkippedKeys) EvictOldest();
}

void SkippedKeys::EvictOldest() {
  // Within a chain keys are in insertion order, so the oldest key overall is
  // the front of some chain.
  Chain* oldest = nullptr;
  for (Chain& c : chains_) {
    if (!c.keys.empty() && (oldest == nullptr || c.keys.front().sequence < oldest->keys.front().sequence)) {
      oldest = &c;
    }
  }
  if (oldest == nullptr) return;
  oldest->keys.pop_front();
  --size_;
  DropEmptyChains();
}

std::optional<SecretArray<32>> SkippedKeys::Take(size_t chain_index, uint32_t n) {
  if (chain_index >= chains_.size()) return std::nullopt;
  auto& keys = chains_[chain_index].keys;
  auto it = std::find_if(keys.begin(), keys.end(), [n](const Key& k) { return k.n == n; });
  if (it == keys.end()) return std::nullopt;
  SecretArray<32> mk = std::move(it->message_key);
  keys.erase(it);
  --size_;
  DropEmptyChains();
  return mk;
}

void SkippedKeys::Expire(uint64_t now) {
  for (Chain& c : chains_) {
    const size_t before = c.keys.size();
    std::erase_if(c.keys, [now](const Key& k) {
      return now > k.stored_at && now - k.stored_at > kSkippedKeyTtlSeconds;
    });
    size_ -= before - c.keys.size();
  }
  DropEmptyChains();
}

void SkippedKeys::DropEmptyChains() {
  std::erase_if(chains_, [](const Chain& c) { return c.keys.empty(); });
}

}  // namespace candor::crypto
