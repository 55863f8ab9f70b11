#pragma once
// Raw friendship and news-feed rows of the SQL store for dual writes, backfill and verification
// (domain/migration_rows.hpp), and the follow counters for friendships kept in the wide-column
// store.
#include "domain/migration_rows.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlFriendshipRows final : public domain::FriendshipRows {
 public:
  explicit SqlFriendshipRows(Database& database) : database_(database) {}

  std::vector<domain::Friendship> followings_of(domain::UserId from) override;
  std::vector<domain::Friendship> followers_of(domain::UserId to) override;
  std::optional<domain::Friendship> find(domain::UserId from, domain::UserId to) override;
  void put(const domain::Friendship& friendship) override;
  void erase(domain::UserId from, domain::UserId to, std::optional<Micros> created_at) override;

 private:
  Database& database_;
};

class SqlNewsfeedRows final : public domain::NewsfeedRows {
 public:
  explicit SqlNewsfeedRows(Database& database) : database_(database) {}

  std::vector<domain::FeedEntry> entries_of(domain::UserId user) override;
  std::optional<domain::FeedEntry> find(domain::UserId user, domain::TweetId tweet) override;
  void put(const std::vector<domain::FeedEntry>& entries) override;
  void erase(domain::UserId user, domain::TweetId tweet) override;

 private:
  Database& database_;
};

class SqlFollowCounters final : public domain::FollowCounters {
 public:
  explicit SqlFollowCounters(Database& database) : database_(database) {}
  void add_follow(domain::UserId from, domain::UserId to, int delta) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql

namespace chirp::store::sql {

// Ids of the users after `after`, ascending, at most `limit` (backfill and verify walk every user).
std::vector<domain::UserId> user_ids_after(Database& database, domain::UserId after,
                                           std::size_t limit);
std::int64_t count_users(Database& database);

}  // namespace chirp::store::sql
