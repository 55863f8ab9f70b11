#include "store/cache/local_timeline_cache.hpp"

#include <algorithm>

namespace chirp::store::cache {
namespace {

using domain::TimelineItem;

// The order of a list, oldest first: by time, ties by id (TimeRange's tie rule, reversed).
bool older(const TimelineItem& a, const TimelineItem& b) {
  return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
}

}  // namespace

LocalTimelineCache::LocalTimelineCache(std::size_t capacity, std::size_t max_lists)
    : capacity_(capacity),
      lists_per_shard_(std::max<std::size_t>(1, (max_lists + kCacheShards - 1) / kCacheShards)) {}

std::uint64_t& LocalTimelineCache::generation(Shard& shard, std::string_view key) {
  // shard_of() used the low bits; the slot takes higher ones so the two choices are independent.
  return shard.generations[(StringKeyHash{}(key) >> 8) % kGenerationSlots];
}

LocalTimelineCache::CachedList* LocalTimelineCache::find(Shard& shard, std::string_view key) {
  auto it = shard.index.find(key);
  return it == shard.index.end() ? nullptr : &*it->second;
}

std::optional<domain::CachedRange> LocalTimelineCache::range(std::string_view key,
                                                             const domain::TimeRange& range) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  shard.recency.splice(shard.recency.begin(), shard.recency, found->second);
  const CachedList& list = *found->second;
  const auto& items = list.items;

  // [first, last) of `items` lies in the range; the answer is its newest `limit`, newest first.
  auto first = items.begin();
  auto last = items.end();
  if (range.after) {
    first = std::upper_bound(items.begin(), items.end(), *range.after,
                             [](Micros t, const TimelineItem& i) { return t < i.created_at; });
  } else if (range.before) {
    last = std::lower_bound(items.begin(), items.end(), *range.before,
                            [](const TimelineItem& i, Micros t) { return i.created_at < t; });
  }
  std::size_t available = static_cast<std::size_t>(last - first);
  std::size_t count = std::min(available, range.limit);
  domain::CachedRange answer;
  answer.items.assign(std::make_reverse_iterator(last),
                      std::make_reverse_iterator(last - static_cast<std::ptrdiff_t>(count)));
  // Older items the store holds beyond the cached part belong to the range unless its lower bound
  // (`after`) lies at or above the oldest cached item.
  bool range_reaches_past_cache =
      !range.after || items.empty() || items.front().created_at > *range.after;
  answer.truncated = !list.complete && count < range.limit && range_reaches_past_cache;
  return answer;
}

std::uint64_t LocalTimelineCache::fill_ticket(std::string_view key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  return generation(shard, key);
}

void LocalTimelineCache::fill(std::string_view key, const std::vector<TimelineItem>& newest,
                              bool complete, std::uint64_t ticket) {
  std::vector<TimelineItem> items(newest.rbegin(), newest.rend());
  if (!std::is_sorted(items.begin(), items.end(), older)) {
    std::sort(items.begin(), items.end(), older);
  }
  if (items.size() > capacity_) {
    items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(capacity_));
    complete = false;
  }

  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  if (generation(shard, key) != ticket) return;
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    it->second->items = std::move(items);
    it->second->complete = complete;
    shard.recency.splice(shard.recency.begin(), shard.recency, it->second);
    return;
  }
  while (shard.index.size() >= lists_per_shard_) {
    shard.index.erase(shard.recency.back().key);
    shard.recency.pop_back();
  }
  shard.recency.push_front(CachedList{std::string(key), std::move(items), complete});
  shard.index.emplace(shard.recency.front().key, shard.recency.begin());
}

void LocalTimelineCache::add(std::string_view key, const TimelineItem& item) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  CachedList* list = find(shard, key);
  if (list) {
    auto& items = list->items;
    if (std::any_of(items.begin(), items.end(),
                    [&](const TimelineItem& i) { return i.id == item.id; })) {
      return;  // already there: a repeated fan-out changes nothing
    }
  }
  ++generation(shard, key);
  if (!list) return;
  auto& items = list->items;
  // An incomplete list holds only the newest items; one older than all of them stays in the store
  // alone, or the list would skip the items between.
  if (!list->complete && (items.empty() || older(item, items.front()))) return;
  items.insert(std::upper_bound(items.begin(), items.end(), item, older), item);
  if (items.size() > capacity_) {
    items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(capacity_));
    list->complete = false;
  }
}

void LocalTimelineCache::remove(std::string_view key, std::int64_t id) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  ++generation(shard, key);
  if (CachedList* list = find(shard, key)) {
    std::erase_if(list->items, [id](const TimelineItem& i) { return i.id == id; });
  }
}

void LocalTimelineCache::invalidate(std::string_view key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  ++generation(shard, key);
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    shard.recency.erase(it->second);
    shard.index.erase(it);
  }
}

std::size_t LocalTimelineCache::list_count() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.index.size();
  }
  return total;
}

}  // namespace chirp::store::cache
