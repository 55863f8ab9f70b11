#pragma once
// Raw row access to one store's friendships and news feeds, used to move them between SQL and the
// wide-column store (DESIGN §6): dual writes mirror a change into the second store, `chirp backfill`
// copies rows, `chirp verify` compares them. Unlike the repositories, these never touch counters
// and never adjust times: a row is written exactly as the other store holds it.
#include <optional>
#include <vector>

#include "domain/entities.hpp"

namespace chirp::domain {

class FriendshipRows {
 public:
  virtual ~FriendshipRows() = default;
  // Every friendship of `from` (the users it follows), in any order.
  virtual std::vector<Friendship> followings_of(UserId from) = 0;
  // Every friendship towards `to` (its followers), in any order.
  virtual std::vector<Friendship> followers_of(UserId to) = 0;
  virtual std::optional<Friendship> find(UserId from, UserId to) = 0;
  // Writes the friendship as given; a row of the same pair with another time is replaced.
  // Idempotent.
  virtual void put(const Friendship& friendship) = 0;
  // Removes the pair's row — only when its time is `created_at`, if that is given. Absent: no-op.
  virtual void erase(UserId from, UserId to, std::optional<Micros> created_at) = 0;
};

class NewsfeedRows {
 public:
  virtual ~NewsfeedRows() = default;
  // Every entry of `user`'s feed, in any order.
  virtual std::vector<FeedEntry> entries_of(UserId user) = 0;
  virtual std::optional<FeedEntry> find(UserId user, TweetId tweet) = 0;
  // Writes the entries as given (an existing (user, tweet) entry is kept). Idempotent.
  virtual void put(const std::vector<FeedEntry>& entries) = 0;
  // Removes the (user, tweet) entry. Absent: no-op.
  virtual void erase(UserId user, TweetId tweet) = 0;
};

// Adjusts the follow counters kept beside the users (SQL user_stats) when friendships live only in
// the wide-column store: from's followings_count and to's followers_count change by `delta`.
class FollowCounters {
 public:
  virtual ~FollowCounters() = default;
  virtual void add_follow(UserId from, UserId to, int delta) = 0;
};

}  // namespace chirp::domain
