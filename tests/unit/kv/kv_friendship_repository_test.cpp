// KvFriendshipRepository on RocksDbStore: the FriendshipRepository contract (as the SQL one keeps
// it) and the raw FriendshipRows used by dual writes, backfill and verify.
#include "store/kv/kv_friendship_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <thread>
#include <tuple>

#include "kv_test_support.hpp"

namespace chirp::store::kv::testing {
namespace {

constexpr Micros kT0 = 1'800'000'000'000'000;

// Records every add_follow call.
class FakeFollowCounters final : public domain::FollowCounters {
 public:
  void add_follow(domain::UserId from, domain::UserId to, int delta) override {
    std::lock_guard lock(mutex_);
    calls_.emplace_back(from, to, delta);
  }
  std::vector<std::tuple<domain::UserId, domain::UserId, int>> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::tuple<domain::UserId, domain::UserId, int>> calls_;
};

using Calls = std::vector<std::tuple<domain::UserId, domain::UserId, int>>;
using Ids = std::vector<domain::UserId>;
using Items = std::vector<domain::TimelineItem>;

Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool same(const domain::Friendship& a, const domain::Friendship& b) {
  return a.from_user_id == b.from_user_id && a.to_user_id == b.to_user_id &&
         a.created_at == b.created_at;
}

class KvFriendshipRepositoryTest : public ::testing::Test {
 protected:
  KvFriendshipRepositoryTest() : store_(dir_.path().string()) {
    KvFriendshipRepository::create_tables(store_);
  }

  TempDir dir_;
  RocksDbStore store_;
  FakeFollowCounters counters_;
  KvFriendshipRepository friendships_{store_, &counters_};
};

TEST_F(KvFriendshipRepositoryTest, CreateOnceAndDuplicateIsNullopt) {
  const auto created = friendships_.create(1, 2, kT0);
  ASSERT_TRUE(created.has_value());
  EXPECT_TRUE(same(*created, {1, 2, kT0}));
  EXPECT_TRUE(friendships_.exists(1, 2));
  EXPECT_FALSE(friendships_.exists(2, 1));
  EXPECT_FALSE(friendships_.create(1, 2, kT0).has_value());
  EXPECT_FALSE(friendships_.create(1, 2, kT0 + 500).has_value());
  ASSERT_TRUE(friendships_.create(2, 1, kT0 + 7).has_value());
  EXPECT_EQ(counters_.calls(), (Calls{{1, 2, 1}, {2, 1, 1}}));
  EXPECT_EQ(friendships_.followings(1, {}), (Items{{2, kT0}}));
  EXPECT_EQ(friendships_.followers(2, {}), (Items{{1, kT0}}));
}

TEST_F(KvFriendshipRepositoryTest, RemoveIsTrueOnceAndCountsOnce) {
  ASSERT_TRUE(friendships_.create(1, 2, kT0).has_value());
  ASSERT_TRUE(friendships_.create(3, 2, kT0 + 1).has_value());
  EXPECT_TRUE(friendships_.remove(1, 2));
  EXPECT_FALSE(friendships_.remove(1, 2));
  EXPECT_FALSE(friendships_.remove(2, 1));
  EXPECT_FALSE(friendships_.exists(1, 2));
  EXPECT_TRUE(friendships_.followings(1, {}).empty());
  EXPECT_EQ(friendships_.followers(2, {}), (Items{{3, kT0 + 1}}));
  EXPECT_EQ(counters_.calls(), (Calls{{1, 2, 1}, {3, 2, 1}, {1, 2, -1}}));
  // Following again works and counts again.
  ASSERT_TRUE(friendships_.create(1, 2, kT0 + 2).has_value());
  EXPECT_EQ(friendships_.followers(2, {}), (Items{{1, kT0 + 2}, {3, kT0 + 1}}));
}

TEST_F(KvFriendshipRepositoryTest, WithoutCountersNothingIsCounted) {
  KvFriendshipRepository mirror(store_, nullptr);
  ASSERT_TRUE(mirror.create(1, 2, kT0).has_value());
  EXPECT_TRUE(mirror.remove(1, 2));
  EXPECT_TRUE(counters_.calls().empty());
}

TEST_F(KvFriendshipRepositoryTest, ClashingTimesMoveLaterPerList) {
  EXPECT_EQ(friendships_.create(1, 2, kT0)->created_at, kT0);
  // Another follower of 2 at the same time.
  EXPECT_EQ(friendships_.create(3, 2, kT0)->created_at, kT0 + 1);
  // Another following of 1 at the same time.
  EXPECT_EQ(friendships_.create(1, 4, kT0)->created_at, kT0 + 1);
  EXPECT_EQ(friendships_.create(1, 5, kT0 + 1)->created_at, kT0 + 2);
  // A clash in 3's followings (T0 + 1, free) then 5's followers (T0 + 2, taken by 1).
  EXPECT_EQ(friendships_.create(3, 5, kT0 + 2)->created_at, kT0 + 3);
  // An unrelated pair keeps its time.
  EXPECT_EQ(friendships_.create(6, 7, kT0)->created_at, kT0);

  // The index holds the final time, and each list holds every follow once.
  EXPECT_EQ(friendships_.find(3, 5)->created_at, kT0 + 3);
  EXPECT_EQ(friendships_.followings(1, {}), (Items{{5, kT0 + 2}, {4, kT0 + 1}, {2, kT0}}));
  EXPECT_EQ(friendships_.followers(2, {}), (Items{{3, kT0 + 1}, {1, kT0}}));
  EXPECT_EQ(friendships_.followers(5, {}), (Items{{3, kT0 + 3}, {1, kT0 + 2}}));
  EXPECT_EQ(friendships_.followings(3, {}), (Items{{5, kT0 + 3}, {2, kT0 + 1}}));
  // Removing a moved follow removes its rows at the moved time.
  EXPECT_TRUE(friendships_.remove(3, 5));
  EXPECT_EQ(friendships_.followers(5, {}), (Items{{1, kT0 + 2}}));
  EXPECT_EQ(friendships_.followings(3, {}), (Items{{2, kT0 + 1}}));
}

TEST_F(KvFriendshipRepositoryTest, ConcurrentFollowsOfOnePairCreateExactlyOne) {
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      if (friendships_.create(1, 2, kT0 + i).has_value()) ++created;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(counters_.calls(), (Calls{{1, 2, 1}}));
  EXPECT_EQ(friendships_.followings(1, {}).size(), 1u);
  EXPECT_EQ(friendships_.followers(2, {}).size(), 1u);
  EXPECT_EQ(friendships_.followers(2, {})[0].created_at, friendships_.find(1, 2)->created_at);
}

TEST_F(KvFriendshipRepositoryTest, ConcurrentFollowsOfOneUserGetDistinctTimes) {
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      EXPECT_TRUE(friendships_.create(100 + i, 1, kT0).has_value());
    });
  }
  for (std::thread& thread : threads) thread.join();
  const Items followers = friendships_.followers(1, {});
  ASSERT_EQ(followers.size(), static_cast<std::size_t>(kThreads));
  for (std::size_t i = 0; i < followers.size(); ++i) {
    EXPECT_EQ(followers[i].created_at, kT0 + kThreads - 1 - static_cast<Micros>(i));
    EXPECT_EQ(friendships_.find(followers[i].id, 1)->created_at, followers[i].created_at);
  }
}

TEST_F(KvFriendshipRepositoryTest, ConcurrentUnfollowsRemoveOnce) {
  ASSERT_TRUE(friendships_.create(1, 2, kT0).has_value());
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> removed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      if (friendships_.remove(1, 2)) ++removed;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(removed.load(), 1);
  EXPECT_EQ(counters_.calls(), (Calls{{1, 2, 1}, {1, 2, -1}}));
  EXPECT_FALSE(friendships_.exists(1, 2));
  EXPECT_TRUE(friendships_.followers(2, {}).empty());
}

TEST_F(KvFriendshipRepositoryTest, ConcurrentFollowAndUnfollowLeaveConsistentRows) {
  // Whatever the interleaving, the lists agree with the index and the counts with the lists.
  for (int round = 0; round < 20; ++round) {
    std::latch start(2);
    std::thread follower([&] {
      start.arrive_and_wait();
      friendships_.create(1, 2, kT0 + round * 10);
    });
    std::thread unfollower([&] {
      start.arrive_and_wait();
      friendships_.remove(1, 2);
    });
    follower.join();
    unfollower.join();
    const bool exists = friendships_.exists(1, 2);
    EXPECT_EQ(friendships_.followings(1, {}).size(), exists ? 1u : 0u);
    EXPECT_EQ(friendships_.followers(2, {}).size(), exists ? 1u : 0u);
    int count = 0;
    for (const auto& call : counters_.calls()) count += std::get<2>(call);
    EXPECT_EQ(count, exists ? 1 : 0);
    friendships_.remove(1, 2);
  }
}

TEST_F(KvFriendshipRepositoryTest, TimeRangesAreNewestFirst) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(friendships_.create(10 + i, 1, kT0 + i * 10));
  const auto ids = [](const Items& items) {
    Ids out;
    for (const auto& item : items) out.push_back(item.id);
    return out;
  };
  EXPECT_EQ(ids(friendships_.followers(1, {})), (Ids{14, 13, 12, 11, 10}));
  EXPECT_EQ(ids(friendships_.followers(1, newest(2))), (Ids{14, 13}));
  // before: strictly older.
  EXPECT_EQ(ids(friendships_.followers(1, before(kT0 + 30))), (Ids{12, 11, 10}));
  EXPECT_EQ(ids(friendships_.followers(1, before(kT0 + 31, 2))), (Ids{13, 12}));
  EXPECT_TRUE(friendships_.followers(1, before(kT0)).empty());
  EXPECT_TRUE(friendships_.followers(1, before(0)).empty());
  // after: strictly newer, the NEWEST `limit` of them.
  EXPECT_EQ(ids(friendships_.followers(1, after(kT0 + 10))), (Ids{14, 13, 12}));
  EXPECT_EQ(ids(friendships_.followers(1, after(kT0 + 9, 2))), (Ids{14, 13}));
  EXPECT_TRUE(friendships_.followers(1, after(kT0 + 40)).empty());
  EXPECT_EQ(friendships_.followers(1, after(-1)).size(), 5u);
  // after wins over before, as in the domain's in_range.
  domain::TimeRange both = after(kT0 + 30);
  both.before = kT0 + 5;
  EXPECT_EQ(ids(friendships_.followers(1, both)), (Ids{14}));
  EXPECT_TRUE(friendships_.followers(1, newest(0)).empty());
  EXPECT_TRUE(friendships_.followers(2, {}).empty());
  EXPECT_EQ(ids(friendships_.followings(12, {})), (Ids{1}));
  EXPECT_TRUE(friendships_.followings(12, before(kT0 + 20)).empty());
  EXPECT_EQ(ids(friendships_.followings(12, before(kT0 + 21))), (Ids{1}));
}

TEST_F(KvFriendshipRepositoryTest, FollowedAmongAndFollowersAmong) {
  ASSERT_TRUE(friendships_.create(1, 2, kT0));
  ASSERT_TRUE(friendships_.create(1, 3, kT0 + 1));
  ASSERT_TRUE(friendships_.create(4, 2, kT0 + 2));
  EXPECT_EQ(sorted(friendships_.followed_among(1, {5, 3, 2, 3, 1})), (Ids{2, 3}));
  EXPECT_TRUE(friendships_.followed_among(1, {}).empty());
  EXPECT_TRUE(friendships_.followed_among(2, {1, 3}).empty());
  EXPECT_EQ(sorted(friendships_.followers_among(2, {1, 4, 5, 4})), (Ids{1, 4}));
  EXPECT_TRUE(friendships_.followers_among(3, {4}).empty());
}

TEST_F(KvFriendshipRepositoryTest, FollowerIdsAfterPagesInIdOrder) {
  // Ids that sort wrongly as text unless zero-padded, created in another order.
  const Ids followers{900, 5, 42, 10'000, 7, 100};
  for (std::size_t i = 0; i < followers.size(); ++i) {
    ASSERT_TRUE(friendships_.create(followers[i], 1, kT0 + static_cast<Micros>(i)));
  }
  ASSERT_TRUE(friendships_.create(3, 2, kT0));  // another user's follower
  EXPECT_EQ(friendships_.follower_ids_after(1, 0, 100), (Ids{5, 7, 42, 100, 900, 10'000}));
  EXPECT_EQ(friendships_.follower_ids_after(1, 0, 2), (Ids{5, 7}));
  EXPECT_EQ(friendships_.follower_ids_after(1, 7, 2), (Ids{42, 100}));
  EXPECT_EQ(friendships_.follower_ids_after(1, 100, 2), (Ids{900, 10'000}));
  EXPECT_TRUE(friendships_.follower_ids_after(1, 10'000, 2).empty());
  EXPECT_EQ(friendships_.follower_ids_after(1, 6, 1), (Ids{7}));
  EXPECT_EQ(friendships_.follower_ids_after(1, -1, 1), (Ids{5}));
  EXPECT_TRUE(friendships_.follower_ids_after(1, 0, 0).empty());
  EXPECT_EQ(friendships_.follower_ids_after(2, 0, 10), (Ids{3}));
}

TEST_F(KvFriendshipRepositoryTest, RowsFindPutAndListAsGiven) {
  KvFriendshipRepository rows(store_, &counters_);
  EXPECT_FALSE(rows.find(1, 2).has_value());
  rows.put({1, 2, kT0});
  rows.put({1, 2, kT0});  // idempotent
  rows.put({3, 2, kT0 + 3});
  ASSERT_TRUE(rows.find(1, 2).has_value());
  EXPECT_TRUE(same(*rows.find(1, 2), {1, 2, kT0}));
  EXPECT_TRUE(rows.exists(3, 2));
  ASSERT_EQ(rows.followings_of(1).size(), 1u);
  EXPECT_TRUE(same(rows.followings_of(1)[0], {1, 2, kT0}));
  EXPECT_EQ(rows.followers_of(2).size(), 2u);
  // Another time for the pair replaces the old rows.
  rows.put({1, 2, kT0 + 5});
  EXPECT_EQ(rows.find(1, 2)->created_at, kT0 + 5);
  ASSERT_EQ(rows.followings_of(1).size(), 1u);
  EXPECT_EQ(rows.followings_of(1)[0].created_at, kT0 + 5);
  EXPECT_EQ(rows.followers(2, {}), (Items{{1, kT0 + 5}, {3, kT0 + 3}}));
  EXPECT_TRUE(counters_.calls().empty());  // rows never count
}

TEST_F(KvFriendshipRepositoryTest, RowsEraseHonoursTheGivenTime) {
  KvFriendshipRepository rows(store_, &counters_);
  rows.put({1, 2, kT0});
  rows.put({3, 2, kT0 + 1});
  rows.erase(1, 2, kT0 + 9);  // another time: the pair stays
  EXPECT_TRUE(rows.find(1, 2).has_value());
  EXPECT_EQ(rows.followers_of(2).size(), 2u);
  rows.erase(1, 2, kT0);
  EXPECT_FALSE(rows.find(1, 2).has_value());
  EXPECT_TRUE(rows.followings_of(1).empty());
  ASSERT_EQ(rows.followers_of(2).size(), 1u);
  EXPECT_TRUE(same(rows.followers_of(2)[0], {3, 2, kT0 + 1}));
  rows.erase(3, 2, std::nullopt);  // any time
  EXPECT_FALSE(rows.find(3, 2).has_value());
  EXPECT_TRUE(rows.followers_of(2).empty());
  EXPECT_TRUE(rows.followings_of(3).empty());
  rows.erase(5, 6, std::nullopt);  // absent: no-op
  rows.erase(5, 6, kT0);
  EXPECT_TRUE(counters_.calls().empty());
}

TEST_F(KvFriendshipRepositoryTest, RowsEraseOfAStaleTimeLeavesOtherFollowsAlone) {
  KvFriendshipRepository rows(store_, &counters_);
  rows.put({1, 2, kT0});
  rows.put({1, 3, kT0 + 1});
  // A stale time at which 1 follows someone else: that row is not this pair's, so it stays.
  rows.erase(1, 2, kT0 + 1);
  EXPECT_EQ(rows.followings(1, {}), (Items{{3, kT0 + 1}, {2, kT0}}));
}

// The seed's bulk load: the same rows create() writes, so every read sees the loaded follows, and
// no counter moves (the seed writes exact counters itself).
TEST_F(KvFriendshipRepositoryTest, LoadWritesWhatReadsFindWithoutCounting) {
  EXPECT_TRUE(friendships_.empty());
  friendships_.load({{1, 2, kT0}, {3, 2, kT0 + 1}, {1, 3, kT0 + 2}});
  EXPECT_FALSE(friendships_.empty());
  EXPECT_TRUE(friendships_.exists(1, 2));
  EXPECT_TRUE(friendships_.exists(1, 3));
  EXPECT_FALSE(friendships_.exists(2, 1));
  EXPECT_EQ(friendships_.followers(2, {}), (Items{{3, kT0 + 1}, {1, kT0}}));
  EXPECT_EQ(friendships_.followings(1, {}), (Items{{3, kT0 + 2}, {2, kT0}}));
  EXPECT_EQ(friendships_.follower_ids_after(2, 0, 10), (Ids{1, 3}));
  EXPECT_TRUE(counters_.calls().empty());
  // A loaded follow unfollows like any other.
  EXPECT_TRUE(friendships_.remove(3, 2));
  EXPECT_EQ(friendships_.followers(2, {}), (Items{{1, kT0}}));
}

}  // namespace
}  // namespace chirp::store::kv::testing
