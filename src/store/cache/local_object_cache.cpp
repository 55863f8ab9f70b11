#include "store/cache/local_object_cache.hpp"

namespace chirp::store::cache {

LocalObjectCache::LocalObjectCache(std::size_t max_bytes)
    : shard_budget_(max_bytes / kCacheShards) {}

std::vector<std::optional<std::string>> LocalObjectCache::get_many(
    const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values(keys.size());
  std::int64_t found = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    Shard& shard = shards_[shard_of(keys[i])];
    std::lock_guard lock(shard.mutex);
    auto it = shard.index.find(keys[i]);
    if (it == shard.index.end()) continue;
    shard.recency.splice(shard.recency.begin(), shard.recency, it->second);
    values[i] = it->second->value;
    ++found;
  }
  hits_.fetch_add(found, std::memory_order_relaxed);
  misses_.fetch_add(static_cast<std::int64_t>(keys.size()) - found, std::memory_order_relaxed);
  return values;
}

void LocalObjectCache::set(std::string_view key, std::string_view value) {
  Shard& shard = shards_[shard_of(key)];
  std::lock_guard lock(shard.mutex);
  if (auto it = shard.index.find(key); it != shard.index.end()) drop(shard, it->second);
  insert(shard, key, value);
}

void LocalObjectCache::add(std::string_view key, std::string_view value) {
  Shard& shard = shards_[shard_of(key)];
  std::lock_guard lock(shard.mutex);
  if (shard.index.contains(key)) return;
  insert(shard, key, value);
}

void LocalObjectCache::insert(Shard& shard, std::string_view key, std::string_view value) {
  std::size_t size = cost(key, value);
  if (size > shard_budget_) return;
  while (shard.bytes + size > shard_budget_) drop(shard, std::prev(shard.recency.end()));
  shard.recency.push_front(Entry{std::string(key), std::string(value)});
  shard.index.emplace(shard.recency.front().key, shard.recency.begin());
  shard.bytes += size;
}

void LocalObjectCache::erase(std::string_view key) {
  Shard& shard = shards_[shard_of(key)];
  std::lock_guard lock(shard.mutex);
  if (auto it = shard.index.find(key); it != shard.index.end()) drop(shard, it->second);
}

std::size_t LocalObjectCache::size_bytes() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.bytes;
  }
  return total;
}

void LocalObjectCache::drop(Shard& shard, Recency::iterator it) {
  shard.bytes -= bytes_of(*it);
  shard.index.erase(it->key);
  shard.recency.erase(it);
}

}  // namespace chirp::store::cache
