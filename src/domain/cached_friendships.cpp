#include "domain/cached_friendships.hpp"

#include <string>

namespace chirp::domain {
namespace {

std::string follows_key(UserId from, UserId to) {
  return "follows:" + std::to_string(from) + ":" + std::to_string(to);
}

}  // namespace

std::optional<Friendship> CachedFriendshipRepository::create(UserId from, UserId to,
                                                             Micros created_at) {
  const std::string key = follows_key(from, to);
  const auto lock = flags_.lock_for(key);
  auto created = store_.create(from, to, created_at);
  flags_.write(key, true);  // created now, or it existed already
  return created;
}

bool CachedFriendshipRepository::remove(UserId from, UserId to) {
  const std::string key = follows_key(from, to);
  const auto lock = flags_.lock_for(key);
  const bool removed = store_.remove(from, to);
  flags_.write(key, false);
  return removed;
}

bool CachedFriendshipRepository::exists(UserId from, UserId to) {
  return !followed_among(from, {to}).empty();
}

std::vector<UserId> CachedFriendshipRepository::followed_among(
    UserId from, const std::vector<UserId>& candidates) {
  return flags_.among(
      candidates, [from](std::int64_t to) { return follows_key(from, to); },
      [&](const std::vector<std::int64_t>& unknown) {
        return store_.followed_among(from, unknown);
      });
}

}  // namespace chirp::domain
