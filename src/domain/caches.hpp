#pragma once
// Caches are optimisations: every read they serve can be answered by a store, and every write goes
// to the store first. In-process implementations serve the embedded stack; Memcached and Redis the
// full stack (DESIGN §5.2).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/timeline.hpp"

namespace chirp::domain {

// Serialized objects by key ("tweet:12", "user:3", "profile:3"): filled on read, erased on write.
class ObjectCache {
 public:
  virtual ~ObjectCache() = default;
  // One round trip for all keys; result[i] is the value of keys[i] or nullopt on a miss.
  virtual std::vector<std::optional<std::string>> get_many(
      const std::vector<std::string>& keys) = 0;
  virtual void set(std::string_view key, std::string_view value) = 0;
  // Stores the value only when the key holds none (a fill from a store read: a value a writer set
  // meanwhile wins over it). Lost or refused: nothing is cached, never an older value.
  virtual void add(std::string_view key, std::string_view value) = 0;
  virtual void erase(std::string_view key) = 0;
};

// What a cached timeline answered for a range.
struct CachedRange {
  std::vector<TimelineItem> items;  // newest first, at most range.limit
  // True when the cache cannot tell whether older items exist past the last one returned: the
  // range ran past the oldest cached item of a timeline that is longer than the cache holds.
  bool truncated = false;
};

// Per-user ordered id lists ("tweets:{uid}", "feed:{uid}") holding the newest `capacity` items.
// A cached list is either complete (the whole timeline) or the newest `capacity` items of a longer
// one. An empty timeline is cached as empty, so it is not missed again and again.
class TimelineCache {
 public:
  virtual ~TimelineCache() = default;
  virtual std::size_t capacity() const = 0;
  // nullopt when the list is not cached.
  virtual std::optional<CachedRange> range(std::string_view key, const TimeRange& range) = 0;
  // range() of each of `keys` (a feed and the lists merged into it: one round trip where the
  // cache is remote); result[i] answers keys[i].
  virtual std::vector<std::optional<CachedRange>> range_many(const std::vector<std::string>& keys,
                                                             const TimeRange& range) {
    std::vector<std::optional<CachedRange>> out;
    out.reserve(keys.size());
    for (const auto& key : keys) out.push_back(this->range(key, range));
    return out;
  }
  // Take a ticket before reading the store to fill a list; fill() is ignored if the list changed
  // (add/remove/invalidate) after the ticket was taken, so a slow fill never hides a newer write.
  virtual std::uint64_t fill_ticket(std::string_view key) = 0;
  // Caches `newest` (newest first, at most capacity()); `complete` when it is the whole timeline.
  virtual void fill(std::string_view key, const std::vector<TimelineItem>& newest, bool complete,
                    std::uint64_t ticket) = 0;
  // Adds the item to a cached list (idempotent by id; keeps the newest `capacity`); a list that is
  // not cached stays uncached.
  virtual void add(std::string_view key, const TimelineItem& item) = 0;
  // add() to each of `keys` (a fan-out batch: one round trip where the cache is remote).
  virtual void add_to_each(const std::vector<std::string>& keys, const TimelineItem& item) {
    for (const auto& key : keys) add(key, item);
  }
  virtual void remove(std::string_view key, std::int64_t id) = 0;
  virtual void invalidate(std::string_view key) = 0;
};

}  // namespace chirp::domain
