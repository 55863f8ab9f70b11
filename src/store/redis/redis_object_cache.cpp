#include "store/redis/redis_object_cache.hpp"

#include <fmt/format.h>

namespace chirp::store::redis {

RedisObjectCache::RedisObjectCache(RedisClient& client, std::string prefix,
                                   std::chrono::seconds expiry)
    : client_(client), prefix_(std::move(prefix)), expiry_(expiry) {}

std::vector<std::optional<std::string>> RedisObjectCache::get_many(
    const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> out(keys.size());
  if (keys.empty()) return out;
  RedisCommand mget{"MGET"};
  for (const auto& key : keys) mget.push_back(prefix_ + key);
  try {
    auto reply = client_.command(std::move(mget));
    if (reply.type != RedisReply::Type::kArray || reply.elements.size() != keys.size()) return out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (reply.elements[i].type == RedisReply::Type::kString)
        out[i] = std::move(reply.elements[i].text);
    }
  } catch (const std::exception& e) {
    warning_.warn(fmt::format("object cache: Redis read failed ({}); reading the store", e.what()));
  }
  return out;
}

void RedisObjectCache::set(std::string_view key, std::string_view value) {
  try {
    client_.command({"SET", prefix_ + std::string(key), std::string(value), "EX",
                     std::to_string(expiry_.count())});
  } catch (const std::exception&) {
    // Not cached this time; nothing stale can result from a lost set.
  }
}

void RedisObjectCache::add(std::string_view key, std::string_view value) {
  try {
    client_.command({"SET", prefix_ + std::string(key), std::string(value), "NX", "EX",
                     std::to_string(expiry_.count())});
  } catch (const std::exception&) {
    // Not cached this time, as with set.
  }
}

void RedisObjectCache::erase(std::string_view key) {
  try {
    client_.command({"DEL", prefix_ + std::string(key)});
  } catch (const std::exception& e) {
    client_.mark_dirty();
    warning_.warn(
        fmt::format("object cache: Redis delete failed ({}); will flush on return", e.what()));
  }
}

}  // namespace chirp::store::redis
