#pragma once
// ObjectCache in process memory for the embedded stack (Memcached's role on the full stack): an LRU
// bounded by the bytes of its keys and values, split into shards that each hold an equal share of
// the budget behind their own lock.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/caches.hpp"
#include "store/cache/string_key_hash.hpp"

namespace chirp::store::cache {

class LocalObjectCache final : public domain::ObjectCache {
 public:
  explicit LocalObjectCache(std::size_t max_bytes = 64 << 20);

  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override;
  // A value too large for one shard's budget is not cached (and any older value is dropped).
  void set(std::string_view key, std::string_view value) override;
  void add(std::string_view key, std::string_view value) override;
  void erase(std::string_view key) override;

  std::int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::int64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  // What an entry costs the budget: its key and value plus kEntryOverhead, the list node, index
  // node and string headers that hold it (most entries are small: a has_liked flag is ~20 bytes).
  static constexpr std::size_t kEntryOverhead = 128;
  static std::size_t cost(std::string_view key, std::string_view value) {
    return key.size() + value.size() + kEntryOverhead;
  }
  // The cost of every entry currently held, over all shards.
  std::size_t size_bytes() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
  };
  using Recency = std::list<Entry>;  // most recently used first
  struct Shard {
    mutable std::mutex mutex;
    Recency recency;
    std::unordered_map<std::string, Recency::iterator, StringKeyHash, std::equal_to<>> index;
    std::size_t bytes = 0;
  };

  static std::size_t bytes_of(const Entry& e) { return cost(e.key, e.value); }
  void drop(Shard& shard, Recency::iterator it);
  // Makes room and puts the entry first; the key is not in the shard (caller holds its lock). A
  // value too large for the shard's budget is not cached.
  void insert(Shard& shard, std::string_view key, std::string_view value);

  std::size_t shard_budget_;
  std::array<Shard, kCacheShards> shards_;
  std::atomic<std::int64_t> hits_{0};
  std::atomic<std::int64_t> misses_{0};
};

}  // namespace chirp::store::cache
