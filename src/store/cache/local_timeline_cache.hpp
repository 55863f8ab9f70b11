#pragma once
// TimelineCache in process memory for the embedded stack (the Redis sorted sets of the full stack):
// per key the newest `capacity` items of a list, whole lists evicted least recently read first,
// split into shards that each hold an equal share of `max_lists` behind their own lock.
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

class LocalTimelineCache final : public domain::TimelineCache {
 public:
  explicit LocalTimelineCache(std::size_t capacity = 1000, std::size_t max_lists = 100000);

  std::size_t capacity() const override { return capacity_; }
  // Reading a list makes it the most recently used; add() does not, so fan-out to followers who
  // never read keeps no list alive.
  std::optional<domain::CachedRange> range(std::string_view key,
                                           const domain::TimeRange& range) override;
  std::uint64_t fill_ticket(std::string_view key) override;
  void fill(std::string_view key, const std::vector<domain::TimelineItem>& newest, bool complete,
            std::uint64_t ticket) override;
  void add(std::string_view key, const domain::TimelineItem& item) override;
  void remove(std::string_view key, std::int64_t id) override;
  void invalidate(std::string_view key) override;

  std::int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::int64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  std::size_t list_count() const;

 private:
  struct CachedList {
    std::string key;
    // Oldest first, so the common add (a new item, newer than all) appends at the back.
    std::vector<domain::TimelineItem> items;
    bool complete = false;
  };
  using Recency = std::list<CachedList>;  // most recently read first
  // Generations live in a fixed array indexed by key hash, so keys that are not cached need no
  // memory; two keys sharing a slot only make some fills be skipped, which is always safe.
  static constexpr std::size_t kGenerationSlots = 1024;
  struct Shard {
    mutable std::mutex mutex;
    Recency recency;
    std::unordered_map<std::string, Recency::iterator, StringKeyHash, std::equal_to<>> index;
    std::array<std::uint64_t, kGenerationSlots> generations{};
  };

  Shard& shard_for(std::string_view key) { return shards_[shard_of(key)]; }
  static std::uint64_t& generation(Shard& shard, std::string_view key);
  CachedList* find(Shard& shard, std::string_view key);

  std::size_t capacity_;
  std::size_t lists_per_shard_;
  std::array<Shard, kCacheShards> shards_;
  std::atomic<std::int64_t> hits_{0};
  std::atomic<std::int64_t> misses_{0};
};

}  // namespace chirp::store::cache
