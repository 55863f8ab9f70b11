// The SQL store's raw friendship and feed rows for dual writes, backfill and verify
// (store/sql/migration_rows.hpp): rows are written exactly as given and never touch counters.
#include "store/sql/migration_rows.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "sql_test_support.hpp"
#include "store/sql/friendship_repository.hpp"
#include "store/sql/newsfeed_repository.hpp"
#include "store/sql/user_repository.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = 1'800'000'000'000'000;

using FriendshipTuple = std::tuple<domain::UserId, domain::UserId, Micros>;
using FeedTuple = std::tuple<domain::UserId, domain::TweetId, domain::UserId, Micros>;

std::vector<FriendshipTuple> sorted(const std::vector<domain::Friendship>& rows) {
  std::vector<FriendshipTuple> out;
  for (const auto& f : rows) out.emplace_back(f.from_user_id, f.to_user_id, f.created_at);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<FeedTuple> sorted(const std::vector<domain::FeedEntry>& rows) {
  std::vector<FeedTuple> out;
  for (const auto& e : rows) out.emplace_back(e.user_id, e.tweet_id, e.author_id, e.created_at);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<FriendshipTuple> tuple_of(const std::optional<domain::Friendship>& f) {
  if (!f) return std::nullopt;
  return FriendshipTuple{f->from_user_id, f->to_user_id, f->created_at};
}

std::optional<FeedTuple> tuple_of(const std::optional<domain::FeedEntry>& e) {
  if (!e) return std::nullopt;
  return FeedTuple{e->user_id, e->tweet_id, e->author_id, e->created_at};
}

using Counts = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // followers, followings, tweets
Counts counts(SqlUserStatsRepository& stats, domain::UserId user) {
  const domain::UserStats s = stats.get(user);
  return {s.followers_count, s.followings_count, s.tweets_count};
}

class MigrationRowsTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(MigrationRowsTest);

TEST_P(MigrationRowsTest, FriendshipPutIsFoundAndListedFromBothSides) {
  SqlFriendshipRows rows(database());
  rows.put({1, 2, kT0});
  rows.put({1, 3, kT0 + 1});
  rows.put({4, 2, kT0 + 2});

  EXPECT_EQ(tuple_of(rows.find(1, 2)), FriendshipTuple(1, 2, kT0));
  EXPECT_EQ(tuple_of(rows.find(4, 2)), FriendshipTuple(4, 2, kT0 + 2));
  EXPECT_FALSE(rows.find(2, 1).has_value());
  EXPECT_FALSE(rows.find(1, 4).has_value());

  EXPECT_EQ(sorted(rows.followings_of(1)),
            (std::vector<FriendshipTuple>{{1, 2, kT0}, {1, 3, kT0 + 1}}));
  EXPECT_EQ(sorted(rows.followers_of(2)),
            (std::vector<FriendshipTuple>{{1, 2, kT0}, {4, 2, kT0 + 2}}));
  EXPECT_TRUE(rows.followings_of(2).empty());
  EXPECT_TRUE(rows.followers_of(1).empty());
}

TEST_P(MigrationRowsTest, FriendshipPutReplacesThePairAtAnotherTimeAndIsIdempotent) {
  SqlFriendshipRows rows(database());
  rows.put({1, 2, kT0});
  rows.put({1, 2, kT0 + 5});
  EXPECT_EQ(tuple_of(rows.find(1, 2)), FriendshipTuple(1, 2, kT0 + 5));
  rows.put({1, 2, kT0 + 5});
  rows.put({1, 2, kT0 + 5});
  EXPECT_EQ(sorted(rows.followings_of(1)), (std::vector<FriendshipTuple>{{1, 2, kT0 + 5}}));
  EXPECT_EQ(sorted(rows.followers_of(2)), (std::vector<FriendshipTuple>{{1, 2, kT0 + 5}}));

  // Moving back to the earlier time frees kT0 + 5 for another follow of 1.
  rows.put({1, 2, kT0});
  rows.put({1, 3, kT0 + 5});
  EXPECT_EQ(sorted(rows.followings_of(1)),
            (std::vector<FriendshipTuple>{{1, 2, kT0}, {1, 3, kT0 + 5}}));
}

TEST_P(MigrationRowsTest, FriendshipEraseWithATimeRemovesOnlyThatRow) {
  SqlFriendshipRows rows(database());
  rows.put({1, 2, kT0 + 5});
  rows.put({1, 3, kT0 + 6});

  rows.erase(1, 2, kT0);  // another time: the row was replaced meanwhile, keep it
  EXPECT_EQ(tuple_of(rows.find(1, 2)), FriendshipTuple(1, 2, kT0 + 5));
  rows.erase(1, 2, kT0 + 5);
  EXPECT_FALSE(rows.find(1, 2).has_value());
  EXPECT_TRUE(rows.find(1, 3).has_value());

  rows.erase(1, 3, std::nullopt);  // any time
  EXPECT_FALSE(rows.find(1, 3).has_value());

  EXPECT_NO_THROW(rows.erase(1, 2, std::nullopt));  // absent: no-op
  EXPECT_NO_THROW(rows.erase(7, 8, kT0));
  EXPECT_TRUE(rows.followings_of(1).empty());
}

TEST_P(MigrationRowsTest, FriendshipRowsNeverChangeCounters) {
  SqlFriendshipRepository friendships(database());
  SqlUserStatsRepository stats(database());
  SqlFriendshipRows rows(database());
  ASSERT_TRUE(friendships.create(1, 2, kT0).has_value());  // counted: 1 → 2
  ASSERT_TRUE(friendships.create(3, 1, kT0 + 1).has_value());
  const Counts one = counts(stats, 1), two = counts(stats, 2), three = counts(stats, 3);
  ASSERT_EQ(one, Counts(1, 1, 0));

  rows.put({1, 4, kT0 + 2});      // new pair
  rows.put({4, 2, kT0 + 3});      // new pair
  rows.put({1, 2, kT0 + 9});      // replaced pair
  rows.erase(3, 1, std::nullopt);  // counted pair removed
  rows.erase(1, 4, kT0 + 2);
  rows.erase(9, 9, std::nullopt);  // absent

  EXPECT_EQ(counts(stats, 1), one);
  EXPECT_EQ(counts(stats, 2), two);
  EXPECT_EQ(counts(stats, 3), three);
  EXPECT_EQ(counts(stats, 4), Counts(0, 0, 0));
  EXPECT_EQ(tuple_of(rows.find(1, 2)), FriendshipTuple(1, 2, kT0 + 9));
  EXPECT_TRUE(friendships.exists(4, 2));  // the repository sees rows written here
  EXPECT_FALSE(friendships.exists(3, 1));
}

TEST_P(MigrationRowsTest, FeedPutIsIdempotentAndKeepsExistingEntries) {
  SqlNewsfeedRows rows(database());
  rows.put({{1, 10, 5, kT0}, {1, 11, 6, kT0 + 1}, {2, 10, 5, kT0}});
  rows.put({{1, 10, 5, kT0}, {1, 12, 6, kT0 + 2}});
  rows.put({{1, 11, 9, kT0 + 9}});  // an existing (user, tweet) entry is kept as it was
  rows.put({});

  EXPECT_EQ(sorted(rows.entries_of(1)),
            (std::vector<FeedTuple>{{1, 10, 5, kT0}, {1, 11, 6, kT0 + 1}, {1, 12, 6, kT0 + 2}}));
  EXPECT_EQ(sorted(rows.entries_of(2)), (std::vector<FeedTuple>{{2, 10, 5, kT0}}));
  EXPECT_TRUE(rows.entries_of(3).empty());
  EXPECT_EQ(tuple_of(rows.find(1, 11)), FeedTuple(1, 11, 6, kT0 + 1));
  EXPECT_EQ(tuple_of(rows.find(2, 10)), FeedTuple(2, 10, 5, kT0));
  EXPECT_FALSE(rows.find(2, 11).has_value());
  EXPECT_FALSE(rows.find(3, 10).has_value());
}

TEST_P(MigrationRowsTest, FeedEraseRemovesOnlyThatEntry) {
  SqlNewsfeedRows rows(database());
  rows.put({{1, 10, 5, kT0}, {1, 11, 6, kT0 + 1}, {2, 10, 5, kT0}});
  rows.erase(1, 10);
  EXPECT_FALSE(rows.find(1, 10).has_value());
  EXPECT_EQ(sorted(rows.entries_of(1)), (std::vector<FeedTuple>{{1, 11, 6, kT0 + 1}}));
  EXPECT_TRUE(rows.find(2, 10).has_value());  // the same tweet in another feed
  EXPECT_NO_THROW(rows.erase(1, 10));          // absent: no-op
  EXPECT_NO_THROW(rows.erase(9, 99));

  // The feed repository sees what the rows wrote.
  SqlNewsfeedRepository feeds(database());
  const auto page = feeds.list(1, domain::TimeRange{});
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, 11);
  EXPECT_EQ(page[0].created_at, kT0 + 1);
}

// Counts kept outside the friendship's transaction may see an unfollow's -1 before its follow's +1:
// the -1 must not be lost by starting a missing row at 0.
TEST_P(MigrationRowsTest, FollowCountersKeepAMinusOneThatArrivesBeforeItsPlusOne) {
  SqlUserStatsRepository stats(database());
  SqlFollowCounters counters(database());
  counters.add_follow(5, 6, -1);  // no stats rows yet
  EXPECT_EQ(counts(stats, 5), Counts(0, -1, 0));
  EXPECT_EQ(counts(stats, 6), Counts(-1, 0, 0));
  counters.add_follow(5, 6, +1);
  EXPECT_EQ(counts(stats, 5), Counts(0, 0, 0));
  EXPECT_EQ(counts(stats, 6), Counts(0, 0, 0));
}

TEST_P(MigrationRowsTest, FollowCountersMoveBothUsersByDelta) {
  SqlFriendshipRepository friendships(database());
  SqlUserStatsRepository stats(database());
  SqlFollowCounters counters(database());
  ASSERT_TRUE(friendships.create(2, 1, kT0).has_value());  // 1 has a follower, 2 a following

  counters.add_follow(1, 2, +1);
  EXPECT_EQ(counts(stats, 1), Counts(1, 1, 0));  // followers, followings, tweets
  EXPECT_EQ(counts(stats, 2), Counts(1, 1, 0));
  counters.add_follow(3, 4, +1);  // users without a stats row yet
  EXPECT_EQ(counts(stats, 3), Counts(0, 1, 0));
  EXPECT_EQ(counts(stats, 4), Counts(1, 0, 0));

  counters.add_follow(1, 2, -1);
  EXPECT_EQ(counts(stats, 1), Counts(1, 0, 0));
  EXPECT_EQ(counts(stats, 2), Counts(0, 1, 0));
  counters.add_follow(3, 4, -1);
  EXPECT_EQ(counts(stats, 3), Counts(0, 0, 0));
  EXPECT_EQ(counts(stats, 4), Counts(0, 0, 0));

  // No friendship row is written or removed.
  SqlFriendshipRows rows(database());
  EXPECT_FALSE(rows.find(1, 2).has_value());
  EXPECT_FALSE(rows.find(3, 4).has_value());
  EXPECT_TRUE(rows.find(2, 1).has_value());
}

TEST_P(MigrationRowsTest, UserIdsAfterPagesInIdOrderAndCountUsersCountsThem) {
  EXPECT_EQ(count_users(database()), 0);
  EXPECT_TRUE(user_ids_after(database(), 0, 10).empty());

  SqlUserRepository users(database());
  std::vector<domain::UserId> ids;
  for (int i = 0; i < 5; ++i) {
    const std::string name = "walker_" + std::to_string(i);
    ids.push_back(users.create({name, name + "@example.com", "$argon2id$hash", false, kT0 + i}).id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(count_users(database()), 5);

  EXPECT_EQ(user_ids_after(database(), 0, 2), (std::vector<domain::UserId>{ids[0], ids[1]}));
  EXPECT_EQ(user_ids_after(database(), ids[1], 2), (std::vector<domain::UserId>{ids[2], ids[3]}));
  EXPECT_EQ(user_ids_after(database(), ids[3], 2), (std::vector<domain::UserId>{ids[4]}));
  EXPECT_TRUE(user_ids_after(database(), ids[4], 2).empty());
  EXPECT_EQ(user_ids_after(database(), 0, 100), ids);
  EXPECT_EQ(user_ids_after(database(), ids[2] - 1, 1), (std::vector<domain::UserId>{ids[2]}));
}

}  // namespace
}  // namespace chirp::store::sql::testing
