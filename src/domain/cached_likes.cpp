#include "domain/cached_likes.hpp"

#include <string>

namespace chirp::domain {

std::string CachedLikeRepository::liked_key(ContentType type, std::int64_t object_id, UserId user) {
  return "liked:" + std::to_string(static_cast<int>(type)) + ":" + std::to_string(user) + ":" +
         std::to_string(object_id);
}

std::optional<LikeRepository::Result> CachedLikeRepository::create(
    ContentType type, std::int64_t object_id, UserId user, Micros created_at,
    const std::optional<NewNotification>& notify) {
  const std::string key = liked_key(type, object_id, user);
  const auto lock = flags_.lock_for(key);
  auto result = store_.create(type, object_id, user, created_at, notify);
  if (result) flags_.write(key, true);
  return result;
}

bool CachedLikeRepository::remove(ContentType type, std::int64_t object_id, UserId user) {
  const std::string key = liked_key(type, object_id, user);
  const auto lock = flags_.lock_for(key);
  const bool removed = store_.remove(type, object_id, user);
  flags_.write(key, false);
  return removed;
}

std::vector<std::int64_t> CachedLikeRepository::liked_among(
    UserId user, ContentType type, const std::vector<std::int64_t>& object_ids) {
  return liked_among(user, type, object_ids, nullptr);
}

std::vector<std::int64_t> CachedLikeRepository::liked_among(
    UserId user, ContentType type, const std::vector<std::int64_t>& object_ids,
    const CacheBatch* fetched) {
  return flags_.among(
      object_ids, [&](std::int64_t id) { return liked_key(type, id, user); },
      [&](const std::vector<std::int64_t>& unknown) {
        return store_.liked_among(user, type, unknown);
      },
      fetched);
}

}  // namespace chirp::domain
