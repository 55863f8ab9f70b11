#pragma once
// TimelineCache on Redis sorted sets (DESIGN §5.2), shared by every chirp process. It behaves like
// LocalTimelineCache, except that lists expire after `idle_expiry` without a read instead of being
// evicted least recently read first (any maxmemory policy of Redis is a safe backstop).
//
// Keys, for a list key such as "feed:12" (the braces are a Redis Cluster hash tag: a list's keys
// share a slot, which its Lua scripts need):
// - chirp:tl:{feed:12}: sorted set, score = created_at µs (exact up to 2^53), member = decimal id.
// - chirp:tl:{feed:12}:meta: "<complete>:<count>", complete 1 = the whole timeline, 0 = its newest
//   `capacity` items only; count = the set's size. It exists ⇔ the list is cached, so an empty
//   timeline is cached as an empty list; the count shows a set evicted without its meta key (a
//   miss then, not an empty list).
// - chirp:tl:{feed:12}:gen: generation for fill tickets. It exists only while a ticket may be
//   outstanding (fill_ticket creates it with a short TTL), so fan-out to users who never read
//   leaves no keys behind.
// Every change is one Lua script, so concurrent processes see each change whole.
//
// Redis down: range() is a miss, fill() is ignored, a failed add/remove/invalidate marks the client
// dirty (its database is flushed before its next use). No method throws because Redis is down.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/caches.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/throttled_warning.hpp"

namespace chirp::store::redis {

class RedisTimelineCache final : public domain::TimelineCache {
 public:
  explicit RedisTimelineCache(RedisClient& client, std::size_t capacity = 1000,
                              std::chrono::seconds idle_expiry = std::chrono::hours(24 * 7));

  std::size_t capacity() const override { return capacity_; }
  // A read refreshes the list's idle expiry; add() does not, so fan-out to followers who never
  // read keeps no list alive.
  std::optional<domain::CachedRange> range(std::string_view key,
                                           const domain::TimeRange& range) override;
  // One pipeline of range scripts: one round trip for all lists.
  std::vector<std::optional<domain::CachedRange>> range_many(
      const std::vector<std::string>& keys, const domain::TimeRange& range) override;
  // 0 when Redis is down (such a ticket never fills).
  std::uint64_t fill_ticket(std::string_view key) override;
  void fill(std::string_view key, const std::vector<domain::TimelineItem>& newest, bool complete,
            std::uint64_t ticket) override;
  void add(std::string_view key, const domain::TimelineItem& item) override;
  void add_to_each(const std::vector<std::string>& keys, const domain::TimelineItem& item) override;
  void remove(std::string_view key, std::int64_t id) override;
  void invalidate(std::string_view key) override;

  std::int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  // Includes the ranges answered as misses because Redis was unavailable (counted in errors too).
  std::int64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  std::int64_t errors() const { return errors_.load(std::memory_order_relaxed); }

  // How long a fill ticket stays valid: far longer than any store read, short enough that the
  // generation keys of lists being filled do not pile up.
  static constexpr std::chrono::seconds kTicketLifetime{600};

 private:
  struct Keys {
    std::string list, meta, generation;
  };
  static Keys keys_for(std::string_view key);
  RedisClient::ScriptCall range_call(std::string_view key, const domain::TimeRange& range) const;
  // The range script's reply (or error reply) as range() answers it.
  std::optional<domain::CachedRange> parse_range(std::string_view key,
                                                 const domain::TimeRange& range,
                                                 const RedisReply& reply);
  // A write that did not reach Redis: the cached copy may now be stale, so the client must flush.
  void write_failed(std::string_view what, std::string_view key, const std::exception& error);
  void read_failed(std::string_view what, std::string_view key, const std::exception& error);

  RedisClient& client_;
  std::size_t capacity_;
  std::string idle_expiry_s_;
  ThrottledWarning warning_;
  std::atomic<std::int64_t> hits_{0};
  std::atomic<std::int64_t> misses_{0};
  std::atomic<std::int64_t> errors_{0};
};

}  // namespace chirp::store::redis
