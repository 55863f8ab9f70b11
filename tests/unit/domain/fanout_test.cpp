#include "domain/fanout.hpp"

#include <gtest/gtest.h>

#include "domain/fanout_jobs.hpp"
#include "social_fakes.hpp"

using namespace chirp::domain;
using namespace chirp::testing;
using chirp::Micros;

namespace {

struct FanoutFixture : ::testing::Test {
  FakeTweets tweets;
  FakeFriendships friendships;
  FakeNewsfeeds newsfeeds;
  FakeStats stats;
  NoTimelineCache timelines;
  RecordingQueue queue;
  FanoutSettings settings{/*celebrity_threshold=*/10000, /*batch_size=*/3, /*backfill=*/20};

  FanoutService service() {
    return FanoutService({tweets, friendships, newsfeeds, stats, timelines, queue}, settings);
  }
  Tweet post(UserId author, Micros at) { return tweets.create({author, "hello!", {}}, at, {}); }
  void followers_of(UserId author, int n) {
    for (int i = 0; i < n; ++i) friendships.create(100 + i, author, i);
    stats.rows[author] = UserStats{author, n, 0, 0, false};
  }
  // Runs every queued job (and the jobs they queue) to completion.
  void drain(FanoutService& s) {
    while (!queue.published.empty()) {
      auto job = queue.published.front();
      queue.published.erase(queue.published.begin());
      s.run(job);
    }
  }
};

}  // namespace

TEST_F(FanoutFixture, MainJobSplitsFollowersIntoBatchesInIdOrder) {
  followers_of(1, 7);
  auto t = post(1, 500);
  auto s = service();
  s.run(jobs::fanout_tweet({t.id, 1, t.created_at}));
  ASSERT_EQ(queue.published.size(), 3u);  // 3 + 3 + 1
  auto first = jobs::parse_fanout_batch(queue.published[0].payload);
  auto last = jobs::parse_fanout_batch(queue.published[2].payload);
  EXPECT_EQ(first->followers, (std::vector<UserId>{100, 101, 102}));
  EXPECT_EQ(last->followers, (std::vector<UserId>{106}));
  drain(s);
  EXPECT_EQ(newsfeeds.rows.size(), 8u);  // 7 followers + the author
  EXPECT_EQ(newsfeeds.rows.at({104, t.id}).created_at, 500);
}

TEST_F(FanoutFixture, ExactMultipleOfBatchSizeMakesNoEmptyBatch) {
  followers_of(1, 6);
  auto t = post(1, 500);
  auto s = service();
  s.run(jobs::fanout_tweet({t.id, 1, t.created_at}));
  EXPECT_EQ(queue.published.size(), 2u);
}

TEST_F(FanoutFixture, RepeatedJobsNeverDuplicateRows) {
  followers_of(1, 5);
  auto t = post(1, 500);
  auto s = service();
  auto job = jobs::fanout_tweet({t.id, 1, t.created_at});
  s.run(job);
  s.run(job);
  drain(s);
  EXPECT_EQ(newsfeeds.rows.size(), 6u);
}

TEST_F(FanoutFixture, CrossingTheThresholdPushesOnceThenSwitchesToPull) {
  settings.celebrity_threshold = 4;
  followers_of(1, 5);
  auto s = service();
  auto first = post(1, 500);
  s.run(jobs::fanout_tweet({first.id, 1, first.created_at}));
  EXPECT_TRUE(stats.get(1).pull_mode);
  drain(s);
  EXPECT_EQ(newsfeeds.rows.size(), 6u);  // the crossing tweet still reached everyone

  auto second = post(1, 600);
  s.run(jobs::fanout_tweet({second.id, 1, second.created_at}));
  EXPECT_TRUE(queue.published.empty());
  EXPECT_TRUE(newsfeeds.rows.contains({1, second.id}));  // only the author's own row
  EXPECT_FALSE(newsfeeds.rows.contains({100, second.id}));
}

TEST_F(FanoutFixture, BatchSkipsUnfollowersAndDeletedTweets) {
  followers_of(1, 3);
  auto t = post(1, 500);
  auto s = service();
  friendships.remove(101, 1);
  s.run(jobs::fanout_batch({{t.id, 1, 500}, {100, 101, 102}}));
  EXPECT_TRUE(newsfeeds.rows.contains({100, t.id}));
  EXPECT_FALSE(newsfeeds.rows.contains({101, t.id}));
  tweets.remove(t.id);
  newsfeeds.rows.clear();
  s.run(jobs::fanout_batch({{t.id, 1, 500}, {100}}));
  EXPECT_TRUE(newsfeeds.rows.empty());
}

TEST_F(FanoutFixture, FollowBackfillBringsRecentTweetsOnlyWhileFollowing) {
  settings.backfill_tweets = 2;
  post(2, 10);
  auto b = post(2, 20);
  auto c = post(2, 30);
  auto s = service();
  s.run(jobs::follow_backfill({1, 2}));
  EXPECT_TRUE(newsfeeds.rows.empty());  // not following: nothing
  friendships.create(1, 2, 5);
  s.run(jobs::follow_backfill({1, 2}));
  EXPECT_EQ(newsfeeds.rows.size(), 2u);
  EXPECT_TRUE(newsfeeds.rows.contains({1, b.id}));
  EXPECT_TRUE(newsfeeds.rows.contains({1, c.id}));
}

TEST_F(FanoutFixture, UnfollowCleanupRemovesOnlyThatAuthorUnlessFollowedAgain) {
  newsfeeds.add({{1, 10, 2, 100}, {1, 11, 3, 110}});
  auto s = service();
  friendships.create(1, 2, 5);
  s.run(jobs::unfollow_cleanup({1, 2}));
  EXPECT_EQ(newsfeeds.rows.size(), 2u);  // followed again before the job ran
  friendships.remove(1, 2);
  s.run(jobs::unfollow_cleanup({1, 2}));
  EXPECT_EQ(newsfeeds.rows.size(), 1u);
  EXPECT_TRUE(newsfeeds.rows.contains({1, 11}));
}

TEST_F(FanoutFixture, UnknownKindAndBadPayloadThrow) {
  auto s = service();
  EXPECT_THROW(s.run({"nope", ""}), MalformedJob);
  EXPECT_THROW(s.run({"fanout.tweet", "x"}), MalformedJob);
}
