#include "store/sql/friendship_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "social_test_support.hpp"
#include "sql_test_support.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = 1'800'000'000'000'000;

std::vector<domain::UserId> sorted(std::vector<domain::UserId> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

class FriendshipRepositoryTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(FriendshipRepositoryTest);

TEST_P(FriendshipRepositoryTest, CreateOnceCountsExactlyAndDuplicateIsNullopt) {
  SqlFriendshipRepository friendships(database());
  SqlUserStatsRepository stats(database());
  const auto created = friendships.create(1, 2, kT0);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->from_user_id, 1);
  EXPECT_EQ(created->to_user_id, 2);
  EXPECT_EQ(created->created_at, kT0);
  EXPECT_TRUE(friendships.exists(1, 2));
  EXPECT_FALSE(friendships.exists(2, 1));

  EXPECT_FALSE(friendships.create(1, 2, kT0).has_value());
  EXPECT_FALSE(friendships.create(1, 2, kT0 + 500).has_value());
  ASSERT_TRUE(friendships.create(2, 1, kT0 + 7).has_value());  // the other direction is its own

  const domain::UserStats one = stats.get(1);
  EXPECT_EQ(one.followings_count, 1);
  EXPECT_EQ(one.followers_count, 1);
  EXPECT_EQ(one.tweets_count, 0);
  EXPECT_FALSE(one.pull_mode);
  EXPECT_EQ(stats.get(2).followers_count, 1);
  EXPECT_EQ(stats.get(2).followings_count, 1);
}

TEST_P(FriendshipRepositoryTest, RemoveTwiceIsTrueThenFalseAndCountsFollow) {
  SqlFriendshipRepository friendships(database());
  SqlUserStatsRepository stats(database());
  ASSERT_TRUE(friendships.create(1, 2, kT0).has_value());
  ASSERT_TRUE(friendships.create(3, 2, kT0 + 1).has_value());
  EXPECT_EQ(stats.get(2).followers_count, 2);

  EXPECT_TRUE(friendships.remove(1, 2));
  EXPECT_FALSE(friendships.remove(1, 2));
  EXPECT_FALSE(friendships.remove(2, 1));
  EXPECT_FALSE(friendships.exists(1, 2));
  EXPECT_EQ(stats.get(1).followings_count, 0);
  EXPECT_EQ(stats.get(2).followers_count, 1);
  EXPECT_EQ(stats.get(3).followings_count, 1);

  // Following again works and counts again.
  ASSERT_TRUE(friendships.create(1, 2, kT0 + 2).has_value());
  EXPECT_EQ(stats.get(2).followers_count, 2);
  EXPECT_EQ(stats.get(1).followings_count, 1);
}

TEST_P(FriendshipRepositoryTest, ClashingTimesMoveLaterPerList) {
  SqlFriendshipRepository friendships(database());
  EXPECT_EQ(friendships.create(1, 2, kT0)->created_at, kT0);
  // Another follower of 2 at the same time: 2's followers list would hold it twice.
  EXPECT_EQ(friendships.create(3, 2, kT0)->created_at, kT0 + 1);
  // Another following of 1 at the same time: 1's followings list would hold it twice.
  EXPECT_EQ(friendships.create(1, 4, kT0)->created_at, kT0 + 1);
  EXPECT_EQ(friendships.create(1, 5, kT0 + 1)->created_at, kT0 + 2);
  // A clash in 3's followings (T0 + 1), then in 5's followers (T0 + 2).
  EXPECT_EQ(friendships.create(3, 5, kT0 + 1)->created_at, kT0 + 3);
  // Unrelated users keep their time.
  EXPECT_EQ(friendships.create(6, 7, kT0)->created_at, kT0);
}

TEST_P(FriendshipRepositoryTest, ConcurrentDuplicateFollowsCreateOne) {
  constexpr int kThreads = 8;
  SqlFriendshipRepository friendships(database());
  std::atomic<int> created{0};
  std::atomic<int> duplicates{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        // Half of them ask for the same time, so time clashes and pair clashes interleave.
        if (friendships.create(10, 20, kT0 + (i % 2) * i)) {
          ++created;
        } else {
          ++duplicates;
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicates, kThreads - 1);
  SqlUserStatsRepository stats(database());
  EXPECT_EQ(stats.get(20).followers_count, 1);
  EXPECT_EQ(stats.get(10).followings_count, 1);
  EXPECT_EQ(friendships.followers(20, newest(10)).size(), 1u);
}

TEST_P(FriendshipRepositoryTest, ConcurrentFollowsOfOneUserAllCount) {
  constexpr int kThreads = 8;
  SqlFriendshipRepository friendships(database());
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        // Each follows 99 and is followed by 99, all at one time.
        EXPECT_TRUE(friendships.create(100 + i, 99, kT0).has_value());
        EXPECT_TRUE(friendships.create(99, 100 + i, kT0).has_value());
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  SqlUserStatsRepository stats(database());
  EXPECT_EQ(stats.get(99).followers_count, kThreads);
  EXPECT_EQ(stats.get(99).followings_count, kThreads);
  std::vector<Micros> times = times_of(friendships.followers(99, newest(100)));
  ASSERT_EQ(times.size(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(std::adjacent_find(times.begin(), times.end()), times.end());  // all distinct
}

TEST_P(FriendshipRepositoryTest, FollowersAndFollowingsPageNewestFirst) {
  SqlFriendshipRepository friendships(database());
  // 1 is followed by 10, 11, 12, 13 (in that order) and follows 20, 21, 22.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(friendships.create(10 + i, 1, kT0 + 10 * i));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(friendships.create(1, 20 + i, kT0 + 100 + i));
  ASSERT_TRUE(friendships.create(10, 2, kT0 + 5));  // someone else's follower

  EXPECT_EQ(ids_of(friendships.followers(1, newest(10))),
            (std::vector<std::int64_t>{13, 12, 11, 10}));
  EXPECT_EQ(times_of(friendships.followers(1, newest(2))),
            (std::vector<Micros>{kT0 + 30, kT0 + 20}));
  EXPECT_EQ(ids_of(friendships.followers(1, older_than(kT0 + 20, 10))),
            (std::vector<std::int64_t>{11, 10}));
  EXPECT_EQ(ids_of(friendships.followers(1, newer_than(kT0 + 0, 2))),
            (std::vector<std::int64_t>{13, 12}));
  EXPECT_EQ(ids_of(friendships.followings(1, newest(10))), (std::vector<std::int64_t>{22, 21, 20}));
  EXPECT_EQ(ids_of(friendships.followings(1, older_than(kT0 + 102, 1))),
            (std::vector<std::int64_t>{21}));
  EXPECT_EQ(ids_of(friendships.followings(1, newer_than(kT0 + 100, 10))),
            (std::vector<std::int64_t>{22, 21}));
  EXPECT_EQ(ids_of(friendships.followings(10, newest(10))), (std::vector<std::int64_t>{2, 1}));
  EXPECT_TRUE(friendships.followers(42, newest(10)).empty());
  EXPECT_TRUE(friendships.followings(1, newest(0)).empty());
}

TEST_P(FriendshipRepositoryTest, FollowedAmongAndFollowersAmong) {
  SqlFriendshipRepository friendships(database());
  for (domain::UserId to : {2, 3, 5}) ASSERT_TRUE(friendships.create(1, to, kT0 + to));
  for (domain::UserId from : {4, 5, 6}) ASSERT_TRUE(friendships.create(from, 1, kT0 + 50 + from));

  EXPECT_EQ(sorted(friendships.followed_among(1, {2, 3, 4, 5, 6, 1})),
            (std::vector<domain::UserId>{2, 3, 5}));
  EXPECT_EQ(sorted(friendships.followers_among(1, {2, 3, 4, 5, 6, 1})),
            (std::vector<domain::UserId>{4, 5, 6}));
  EXPECT_TRUE(friendships.followed_among(1, {}).empty());
  EXPECT_TRUE(friendships.followed_among(7, {1, 2, 3}).empty());

  // More candidates than one bound list holds.
  std::vector<domain::UserId> candidates;
  for (domain::UserId id = 1000; id < 2200; ++id) candidates.push_back(id);
  candidates.push_back(5);
  candidates.push_back(3);
  EXPECT_EQ(sorted(friendships.followed_among(1, candidates)), (std::vector<domain::UserId>{3, 5}));
  EXPECT_EQ(sorted(friendships.followers_among(1, candidates)), (std::vector<domain::UserId>{5}));
}

TEST_P(FriendshipRepositoryTest, FollowerIdsAfterWalksInIdOrder) {
  SqlFriendshipRepository friendships(database());
  // Followed in an order unrelated to the ids.
  const std::vector<domain::UserId> followers{17, 3, 40, 8, 25, 11, 2};
  for (std::size_t i = 0; i < followers.size(); ++i) {
    ASSERT_TRUE(friendships.create(followers[i], 1, kT0 + static_cast<Micros>(i)));
  }
  ASSERT_TRUE(friendships.create(5, 9, kT0));  // not a follower of 1

  std::vector<domain::UserId> walked;
  domain::UserId after = 0;
  for (;;) {
    const auto batch = friendships.follower_ids_after(1, after, 3);
    if (batch.empty()) break;
    EXPECT_LE(batch.size(), 3u);
    walked.insert(walked.end(), batch.begin(), batch.end());
    after = batch.back();
  }
  EXPECT_EQ(walked, sorted(followers));
  EXPECT_EQ(friendships.follower_ids_after(1, 11, 2), (std::vector<domain::UserId>{17, 25}));
  EXPECT_TRUE(friendships.follower_ids_after(1, 40, 10).empty());
  EXPECT_TRUE(friendships.follower_ids_after(1, 0, 0).empty());
}

}  // namespace
}  // namespace chirp::store::sql::testing
