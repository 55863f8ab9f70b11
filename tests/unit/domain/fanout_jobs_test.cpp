#include "domain/fanout_jobs.hpp"

#include <gtest/gtest.h>

using namespace chirp::domain;

TEST(FanoutJobs, PayloadsRoundTrip) {
  auto job = jobs::fanout_batch({{7, 3, 1234567}, {4, 5, 6}});
  EXPECT_EQ(job.kind, "fanout.batch");
  auto batch = jobs::parse_fanout_batch(job.payload);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->tweet.tweet_id, 7);
  EXPECT_EQ(batch->tweet.author_id, 3);
  EXPECT_EQ(batch->tweet.created_at, 1234567);
  EXPECT_EQ(batch->followers, (std::vector<UserId>{4, 5, 6}));

  auto ref = jobs::parse_tweet_ref(jobs::fanout_tweet({1, 2, 3}).payload);
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->created_at, 3);
  auto pair = jobs::parse_follow_pair(jobs::unfollow_cleanup({8, 9}).payload);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->follower, 8);
  EXPECT_EQ(pair->followee, 9);
}

TEST(FanoutJobs, MalformedPayloadsAreRejected) {
  EXPECT_FALSE(jobs::parse_tweet_ref(""));
  EXPECT_FALSE(jobs::parse_tweet_ref("1 2"));
  EXPECT_FALSE(jobs::parse_tweet_ref("1 2 x"));
  EXPECT_FALSE(jobs::parse_tweet_ref("1  2 3"));
  EXPECT_FALSE(jobs::parse_follow_pair("1 2 3"));
  EXPECT_FALSE(jobs::parse_fanout_batch("1 2"));
  EXPECT_TRUE(jobs::parse_fanout_batch("1 2 3"));  // an empty batch is valid
}
