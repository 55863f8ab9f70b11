#pragma once
// Compact binary records for the object cache (users, tweets). Each record starts with a format
// version byte: a record in an older format decodes as a miss, so deploying a new format needs no
// cache flush.
#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

std::string encode_user_summary(const UserSummary& user);
std::optional<UserSummary> decode_user_summary(std::string_view bytes);

// A signed-in user as request authentication needs it: no password hash (the cache never holds
// one); decodes with an empty password_hash.
std::string encode_identity(const User& user);
std::optional<User> decode_identity(std::string_view bytes);

std::string encode_tweet(const Tweet& tweet);
std::optional<Tweet> decode_tweet(std::string_view bytes);

inline std::string user_cache_key(UserId id) {
  return "user:" + std::to_string(id);
}
inline std::string tweet_cache_key(TweetId id) {
  return "tweet:" + std::to_string(id);
}
inline std::string identity_cache_key(UserId id) {
  return "identity:" + std::to_string(id);
}

}  // namespace chirp::domain
