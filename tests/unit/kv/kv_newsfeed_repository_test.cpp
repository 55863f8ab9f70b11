// KvNewsfeedRepository on RocksDbStore: the NewsfeedRepository contract (as the SQL one keeps it)
// and the raw NewsfeedRows used by dual writes, backfill and verify.
#include "store/kv/kv_newsfeed_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "kv_test_support.hpp"

namespace chirp::store::kv::testing {
namespace {

constexpr Micros kT0 = 1'800'000'000'000'000;

using Items = std::vector<domain::TimelineItem>;
using TweetIds = std::vector<domain::TweetId>;

TweetIds ids(const Items& items) {
  TweetIds out;
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

bool same(const domain::FeedEntry& a, const domain::FeedEntry& b) {
  return a.user_id == b.user_id && a.tweet_id == b.tweet_id && a.author_id == b.author_id &&
         a.created_at == b.created_at;
}

class KvNewsfeedRepositoryTest : public ::testing::Test {
 protected:
  KvNewsfeedRepositoryTest() : store_(dir_.path().string()) {
    KvNewsfeedRepository::create_tables(store_);
  }

  TempDir dir_;
  RocksDbStore store_;
  KvNewsfeedRepository feeds_{store_};
};

TEST_F(KvNewsfeedRepositoryTest, AddThenListNewestFirst) {
  feeds_.add({{1, 10, 100, kT0}, {1, 12, 101, kT0 + 2}, {1, 11, 100, kT0 + 1}, {2, 10, 100, kT0}});
  EXPECT_EQ(feeds_.list(1, {}), (Items{{12, kT0 + 2}, {11, kT0 + 1}, {10, kT0}}));
  EXPECT_EQ(feeds_.list(2, {}), (Items{{10, kT0}}));
  EXPECT_TRUE(feeds_.list(3, {}).empty());
  feeds_.add({});
}

TEST_F(KvNewsfeedRepositoryTest, AddIsIdempotentAndKeepsTheFirstEntry) {
  feeds_.add({{1, 10, 100, kT0}});
  feeds_.add({{1, 10, 100, kT0}, {1, 10, 100, kT0}});
  feeds_.add({{1, 10, 999, kT0 + 50}});  // same (user, tweet): skipped
  EXPECT_EQ(feeds_.list(1, {}), (Items{{10, kT0}}));
  ASSERT_TRUE(feeds_.find(1, 10).has_value());
  EXPECT_TRUE(same(*feeds_.find(1, 10), {1, 10, 100, kT0}));
}

TEST_F(KvNewsfeedRepositoryTest, TiesOnTimeAreOrderedByTweetIdDescending) {
  feeds_.add({{1, 5, 100, kT0}, {1, 30, 100, kT0}, {1, 7, 100, kT0}, {1, 1, 100, kT0 + 1}});
  EXPECT_EQ(ids(feeds_.list(1, {})), (TweetIds{1, 30, 7, 5}));
  EXPECT_EQ(ids(feeds_.list(1, newest(2))), (TweetIds{1, 30}));
}

TEST_F(KvNewsfeedRepositoryTest, TimeRangesAfterBeforeAndLimit) {
  std::vector<domain::FeedEntry> entries;
  for (int i = 0; i < 5; ++i) entries.push_back({1, 10 + i, 100, kT0 + i * 10});
  entries.push_back({1, 99, 100, kT0 + 20});  // a tie at T0 + 20
  feeds_.add(entries);
  EXPECT_EQ(ids(feeds_.list(1, {})), (TweetIds{14, 13, 99, 12, 11, 10}));
  // before: strictly older, ties at the bound excluded.
  EXPECT_EQ(ids(feeds_.list(1, before(kT0 + 20))), (TweetIds{11, 10}));
  EXPECT_EQ(ids(feeds_.list(1, before(kT0 + 21, 2))), (TweetIds{99, 12}));
  EXPECT_TRUE(feeds_.list(1, before(kT0)).empty());
  // after: strictly newer, the newest `limit` of them, ties at the bound excluded.
  EXPECT_EQ(ids(feeds_.list(1, after(kT0 + 20))), (TweetIds{14, 13}));
  EXPECT_EQ(ids(feeds_.list(1, after(kT0 + 19))), (TweetIds{14, 13, 99, 12}));
  EXPECT_EQ(ids(feeds_.list(1, after(kT0, 2))), (TweetIds{14, 13}));
  EXPECT_TRUE(feeds_.list(1, after(kT0 + 40)).empty());
  EXPECT_TRUE(feeds_.list(1, newest(0)).empty());
}

TEST_F(KvNewsfeedRepositoryTest, RemoveTweetDeletesItFromEveryFeed) {
  feeds_.add({{1, 10, 100, kT0},
              {2, 10, 100, kT0},
              {3, 10, 100, kT0},
              {1, 11, 100, kT0 + 1},
              {2, 100, 7, kT0 + 2}});
  feeds_.remove_tweet(10);
  EXPECT_EQ(ids(feeds_.list(1, {})), (TweetIds{11}));
  EXPECT_EQ(ids(feeds_.list(2, {})), (TweetIds{100}));
  EXPECT_TRUE(feeds_.list(3, {}).empty());
  EXPECT_FALSE(feeds_.find(2, 10).has_value());
  EXPECT_TRUE(feeds_.find(2, 100).has_value());
  feeds_.remove_tweet(10);  // nothing left: no-op
}

TEST_F(KvNewsfeedRepositoryTest, RemoveTweetOfManyFeedsPagesThroughAll) {
  std::vector<domain::FeedEntry> entries;
  for (int user = 1; user <= 2'500; ++user) entries.push_back({user, 10, 100, kT0});
  feeds_.add(entries);
  feeds_.remove_tweet(10);
  EXPECT_FALSE(feeds_.find(1, 10).has_value());
  EXPECT_FALSE(feeds_.find(2'500, 10).has_value());
  EXPECT_TRUE(feeds_.list(1'234, {}).empty());
}

TEST_F(KvNewsfeedRepositoryTest, RemoveAuthorDeletesOnlyThatAuthorsRowsOfThatUser) {
  std::vector<domain::FeedEntry> entries;
  // More than one scan page, alternating authors.
  for (int i = 0; i < 2'100; ++i) entries.push_back({1, 1'000 + i, i % 2 == 0 ? 7 : 8, kT0 + i});
  entries.push_back({2, 1'000, 7, kT0});  // another user's feed keeps the author's tweet
  feeds_.add(entries);
  feeds_.remove_author(1, 7);
  const std::vector<domain::FeedEntry> left = feeds_.entries_of(1);
  EXPECT_EQ(left.size(), 1'050u);
  EXPECT_TRUE(
      std::all_of(left.begin(), left.end(), [](const auto& e) { return e.author_id == 8; }));
  EXPECT_FALSE(feeds_.find(1, 1'000).has_value());
  EXPECT_TRUE(feeds_.find(1, 1'001).has_value());
  EXPECT_TRUE(feeds_.find(2, 1'000).has_value());
  EXPECT_EQ(ids(feeds_.list(2, {})), (TweetIds{1'000}));
}

TEST_F(KvNewsfeedRepositoryTest, RowsFindPutEntriesAndErase) {
  EXPECT_FALSE(feeds_.find(1, 10).has_value());
  feeds_.put({{1, 10, 100, kT0}, {1, 11, 101, kT0 + 1}});
  feeds_.put({{1, 10, 100, kT0}});  // idempotent
  ASSERT_TRUE(feeds_.find(1, 11).has_value());
  EXPECT_TRUE(same(*feeds_.find(1, 11), {1, 11, 101, kT0 + 1}));
  std::vector<domain::FeedEntry> entries = feeds_.entries_of(1);
  ASSERT_EQ(entries.size(), 2u);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.tweet_id < b.tweet_id; });
  EXPECT_TRUE(same(entries[0], {1, 10, 100, kT0}));
  EXPECT_TRUE(same(entries[1], {1, 11, 101, kT0 + 1}));
  feeds_.erase(1, 10);
  feeds_.erase(1, 10);  // absent: no-op
  feeds_.erase(5, 5);
  EXPECT_FALSE(feeds_.find(1, 10).has_value());
  EXPECT_EQ(ids(feeds_.list(1, {})), (TweetIds{11}));
  EXPECT_TRUE(feeds_.entries_of(2).empty());
}

// The seed's bulk load writes the feed rows and their reverse index (remove_tweet finds them).
TEST_F(KvNewsfeedRepositoryTest, LoadWritesEntriesThatListAndRemoveTweetFind) {
  EXPECT_TRUE(feeds_.empty());
  feeds_.load({{1, 10, 5, kT0}, {1, 11, 6, kT0 + 1}, {2, 10, 5, kT0}});
  EXPECT_FALSE(feeds_.empty());
  EXPECT_EQ(ids(feeds_.list(1, {})), (TweetIds{11, 10}));
  EXPECT_EQ(ids(feeds_.list(2, {})), (TweetIds{10}));
  feeds_.remove_tweet(10);
  EXPECT_EQ(ids(feeds_.list(1, {})), (TweetIds{11}));
  EXPECT_TRUE(feeds_.list(2, {}).empty());
}

}  // namespace
}  // namespace chirp::store::kv::testing
