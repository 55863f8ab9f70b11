#pragma once
// Fixed-window rate-limit counters in Redis, shared by every chirp process: one key per client and
// window, "chirp:rl:{key}:{window_start}", counted with INCR and expiring one second after the
// window. When Redis is unavailable the limiter fails open (every hit is the window's first):
// losing rate limiting for a moment is better than refusing every request.
#include <atomic>
#include <cstdint>
#include <string_view>

#include "domain/rate_limit_store.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/throttled_warning.hpp"

namespace chirp::store::redis {

class RedisRateLimitStore final : public domain::RateLimitStore {
 public:
  explicit RedisRateLimitStore(RedisClient& client) : client_(client) {}

  std::int64_t hit(std::string_view key, std::int64_t window_start_s, int window_s) override;

  // Hits let through without counting because Redis was unavailable.
  std::int64_t errors() const { return errors_.load(std::memory_order_relaxed); }

 private:
  RedisClient& client_;
  ThrottledWarning warning_;
  std::atomic<std::int64_t> errors_{0};
};

}  // namespace chirp::store::redis
