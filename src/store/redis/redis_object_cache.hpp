#pragma once
// A small key-value cache in Redis, used for the session and token lookups that every
// authenticated request makes (the users and tweets cache is Memcached's). Entries expire after
// `expiry`: short, so a lookup cached in a race with a logout cannot outlive it for long.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/caches.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/throttled_warning.hpp"

namespace chirp::store::redis {

class RedisObjectCache final : public domain::ObjectCache {
 public:
  RedisObjectCache(RedisClient& client, std::string prefix, std::chrono::seconds expiry);
  // One MGET; a miss for every key while Redis is down.
  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override;
  void set(std::string_view key, std::string_view value) override;
  void add(std::string_view key, std::string_view value) override;
  // A delete that does not reach Redis marks the client dirty (flush before the next use).
  void erase(std::string_view key) override;

 private:
  RedisClient& client_;
  std::string prefix_;
  std::chrono::seconds expiry_;
  ThrottledWarning warning_;
};

}  // namespace chirp::store::redis
