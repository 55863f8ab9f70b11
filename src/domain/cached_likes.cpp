#include "domain/cached_likes.hpp"

#include <string>
#include <unordered_set>

namespace chirp::domain {
namespace {

constexpr std::string_view kLiked = "1";
constexpr std::string_view kNotLiked = "0";

std::string marker_key(ContentType type, std::int64_t object_id, UserId user) {
  return "liked:" + std::to_string(static_cast<int>(type)) + ":" + std::to_string(user) + ":" +
         std::to_string(object_id);
}

}  // namespace

std::optional<LikeRepository::Result> CachedLikeRepository::create(
    ContentType type, std::int64_t object_id, UserId user, Micros created_at,
    const std::optional<NewNotification>& notify) {
  auto result = store_.create(type, object_id, user, created_at, notify);
  if (result) mark(type, object_id, user, true);
  return result;
}

bool CachedLikeRepository::remove(ContentType type, std::int64_t object_id, UserId user) {
  const bool removed = store_.remove(type, object_id, user);
  mark(type, object_id, user, false);
  return removed;
}

std::vector<std::int64_t> CachedLikeRepository::liked_among(
    UserId user, ContentType type, const std::vector<std::int64_t>& object_ids) {
  if (object_ids.empty()) return {};
  std::vector<std::string> keys;
  keys.reserve(object_ids.size());
  for (const auto id : object_ids) keys.push_back(marker_key(type, id, user));
  const auto markers = cache_.get_many(keys);

  std::vector<std::int64_t> liked, unknown;
  std::vector<std::size_t> unknown_at;
  for (std::size_t i = 0; i < object_ids.size(); ++i) {
    if (markers[i] == kLiked) {
      liked.push_back(object_ids[i]);
    } else if (markers[i] != kNotLiked) {
      unknown.push_back(object_ids[i]);
      unknown_at.push_back(i);
    }
  }
  if (unknown.empty()) return liked;
  const auto found = store_.liked_among(user, type, unknown);
  const std::unordered_set<std::int64_t> found_set(found.begin(), found.end());
  for (std::size_t j = 0; j < unknown.size(); ++j) {
    const bool is_liked = found_set.contains(unknown[j]);
    cache_.add(keys[unknown_at[j]], is_liked ? kLiked : kNotLiked);
    if (is_liked) liked.push_back(unknown[j]);
  }
  return liked;
}

void CachedLikeRepository::mark(ContentType type, std::int64_t object_id, UserId user, bool liked) {
  const std::string key = marker_key(type, object_id, user);
  cache_.erase(key);
  cache_.set(key, liked ? kLiked : kNotLiked);
}

}  // namespace chirp::domain
