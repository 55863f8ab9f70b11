#pragma once
// Plain values of the domain. Stores fill them; api/ serializes them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.hpp"

namespace chirp::domain {

using UserId = std::int64_t;

struct User {
  UserId id = 0;
  std::string username;  // lowercase
  std::string email;     // lowercase
  std::string password_hash;
  bool is_staff = false;
  Micros date_joined = 0;
};

struct Profile {
  UserId user_id = 0;  // the profile id equals the user id
  std::optional<std::string> nickname;
  std::optional<std::string> avatar;  // media path relative to the media store, e.g. "avatars/3f/ab12.png"
};

using TweetId = std::int64_t;

struct Tweet {
  TweetId id = 0;
  UserId user_id = 0;
  std::string content;
  Micros created_at = 0;  // unique across all tweets (SPEC §1.6)
  Micros updated_at = 0;
  std::int64_t likes_count = 0;
  std::int64_t comments_count = 0;
  std::vector<std::string> photos;  // media paths in upload order
};

// A directed follow: from_user follows to_user.
struct Friendship {
  UserId from_user_id = 0;
  UserId to_user_id = 0;
  Micros created_at = 0;
};

// One row of a user's news feed. created_at is the tweet's creation time (SPEC §7).
struct FeedEntry {
  UserId user_id = 0;
  TweetId tweet_id = 0;
  UserId author_id = 0;
  Micros created_at = 0;
};

using CommentId = std::int64_t;

struct Comment {
  CommentId id = 0;
  TweetId tweet_id = 0;
  UserId user_id = 0;
  std::string content;
  Micros created_at = 0;  // unique among the tweet's comments
  Micros updated_at = 0;
  std::int64_t likes_count = 0;
};

// Content types are fixed numbers on the wire (SPEC §10): 1 = user, 2 = tweet, 3 = comment.
enum class ContentType : int { User = 1, Tweet = 2, Comment = 3 };

struct Like {
  ContentType target_type = ContentType::Tweet;  // Tweet or Comment
  std::int64_t object_id = 0;
  UserId user_id = 0;
  Micros created_at = 0;  // unique among the object's likes
};

struct Notification {
  std::int64_t id = 0;
  UserId recipient_id = 0;
  UserId actor_id = 0;
  std::string verb;  // "commented on your tweet", "liked your tweet", ...
  ContentType target_type = ContentType::User;
  std::int64_t target_id = 0;
  std::optional<CommentId> action_comment_id;  // the comment, for comment notifications
  bool unread = true;
  Micros timestamp = 0;
};

// Denormalized per-user counters, changed in the same transaction as the rows they count.
struct UserStats {
  UserId user_id = 0;
  std::int64_t followers_count = 0;
  std::int64_t followings_count = 0;
  std::int64_t tweets_count = 0;
  // Set once an author passes the celebrity threshold: from then on their tweets are merged into
  // followers' feeds at read time instead of being fanned out (never unset, so no tweet falls
  // between the two models).
  bool pull_mode = false;
};

}  // namespace chirp::domain
