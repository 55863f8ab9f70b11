#include "store/redis/redis_rate_limit_store.hpp"

#include <fmt/format.h>

#include <array>
#include <string>

namespace chirp::store::redis {

std::int64_t RedisRateLimitStore::hit(std::string_view key, std::int64_t window_start_s,
                                      int window_s) {
  std::string counter = fmt::format("chirp:rl:{}:{}", key, window_start_s);
  // INCR and EXPIRE in one round trip; EXPIRE after every hit is harmless (the window is in the
  // key) and also heals a key left without a TTL.
  std::array<RedisCommand, 2> commands{
      RedisCommand{"INCR", counter},
      RedisCommand{"EXPIRE", counter, std::to_string(std::max(window_s, 0) + 1)}};
  try {
    auto replies = client_.pipeline(commands);
    if (replies[0].type != RedisReply::Type::kInteger) {
      throw RedisError("INCR " + counter + ": " + replies[0].text);
    }
    return replies[0].integer;
  } catch (const std::exception& e) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    warning_.warn(fmt::format(
        "rate limits: counting in Redis failed ({}); letting requests through", e.what()));
    return 1;
  }
}

}  // namespace chirp::store::redis
