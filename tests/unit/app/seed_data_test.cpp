#include "domain/seed_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace chirp::domain {
namespace {

constexpr Micros kNow = 1'800'000'000'000'000;

SeedOptions small(std::uint64_t seed = 3) {
  SeedOptions o;
  o.users = 60;
  o.follows = 900;
  o.tweets = 700;
  o.likes = 500;
  o.comments = 200;
  o.feed_size = 25;
  o.seed = seed;
  o.now = kNow;
  return o;
}

TEST(SeedData, SameSeedSameDataOtherSeedOtherData) {
  const SeedData a = generate_seed_data(small()), b = generate_seed_data(small());
  ASSERT_EQ(a.follows.size(), b.follows.size());
  for (std::size_t i = 0; i < a.follows.size(); ++i) {
    EXPECT_EQ(std::tie(a.follows[i].from, a.follows[i].to, a.follows[i].created_at),
              std::tie(b.follows[i].from, b.follows[i].to, b.follows[i].created_at));
  }
  for (std::size_t i = 0; i < a.tweets.size(); ++i) {
    EXPECT_EQ(a.tweets[i].author, b.tweets[i].author);
    EXPECT_EQ(a.tweets[i].content, b.tweets[i].content);
    EXPECT_EQ(a.tweets[i].created_at, b.tweets[i].created_at);
  }
  ASSERT_EQ(a.feeds.size(), b.feeds.size());
  for (std::size_t i = 0; i < a.feeds.size(); ++i)
    EXPECT_EQ(a.feeds[i].tweet_id, b.feeds[i].tweet_id);
  EXPECT_EQ(a.users[7].nickname, b.users[7].nickname);

  const SeedData c = generate_seed_data(small(4));
  bool differs = false;
  for (std::size_t i = 0; i < a.follows.size(); ++i) {
    differs |= a.follows[i].from != c.follows[i].from || a.follows[i].to != c.follows[i].to;
  }
  EXPECT_TRUE(differs);
}

TEST(SeedData, UsersHaveValidNamesAndJoinedWithinTheLastYear) {
  const SeedData d = generate_seed_data(small());
  ASSERT_EQ(d.users.size(), 60u);
  EXPECT_EQ(d.users[0].username, "seed_000001");
  EXPECT_EQ(d.users[0].email, "seed_000001@example.com");
  for (std::size_t i = 0; i < d.users.size(); ++i) {
    EXPECT_EQ(d.users[i].id, static_cast<UserId>(i) + 1);
    EXPECT_FALSE(d.users[i].nickname.empty());
    EXPECT_GE(d.users[i].date_joined, kNow - 366LL * 86'400'000'000);
    EXPECT_LT(d.users[i].date_joined, kNow);
  }
  EXPECT_EQ(seed_username(1234567), "seed_1234567");
}

TEST(SeedData, FollowsHaveNoSelfFollowsNoDuplicatesAndExactCounts) {
  const SeedData d = generate_seed_data(small());
  ASSERT_EQ(d.follows.size(), 900u);
  std::set<std::pair<UserId, UserId>> pairs;
  std::map<UserId, std::int64_t> followers, followings;
  Micros previous = 0;
  for (const auto& f : d.follows) {
    EXPECT_NE(f.from, f.to);
    EXPECT_TRUE(pairs.insert({f.from, f.to}).second);
    EXPECT_GT(f.created_at, previous);  // unique times, oldest first
    previous = f.created_at;
    EXPECT_GE(f.created_at,
              std::max(d.users[f.from - 1].date_joined, d.users[f.to - 1].date_joined));
    ++followers[f.to];
    ++followings[f.from];
  }
  for (const auto& u : d.users) {
    EXPECT_EQ(u.followers_count, followers[u.id]);
    EXPECT_EQ(u.followings_count, followings[u.id]);
  }
  // Power law: the first user is followed far more than the last.
  EXPECT_GT(d.users.front().followers_count,
            4 * std::max<std::int64_t>(1, d.users.back().followers_count));
}

TEST(SeedData, TweetsHaveUniqueTimesShortContentAndExactCounts) {
  const SeedData d = generate_seed_data(small());
  std::map<UserId, std::int64_t> tweets;
  Micros previous = 0;
  for (std::size_t i = 0; i < d.tweets.size(); ++i) {
    const auto& t = d.tweets[i];
    EXPECT_EQ(t.id, static_cast<TweetId>(i) + 1);
    EXPECT_GT(t.created_at, previous);
    previous = t.created_at;
    EXPECT_GE(t.created_at, kNow - 30LL * 86'400'000'000);
    EXPECT_FALSE(t.content.empty());
    EXPECT_LE(t.content.size(), 140u);
    ++tweets[t.author];
  }
  for (const auto& u : d.users) EXPECT_EQ(u.tweets_count, tweets[u.id]);
}

TEST(SeedData, FeedsHoldTheNewestTweetsOfTheUserAndTheirFollowees) {
  const SeedData d = generate_seed_data(small());
  std::map<UserId, std::set<UserId>> authors;
  for (const auto& u : d.users) authors[u.id].insert(u.id);
  for (const auto& f : d.follows) authors[f.from].insert(f.to);
  std::map<UserId, std::vector<FeedEntry>> feeds;
  for (const auto& e : d.feeds) feeds[e.user_id].push_back(e);

  for (const auto& u : d.users) {
    std::vector<TweetId> expected;  // newest first
    for (auto it = d.tweets.rbegin(); it != d.tweets.rend(); ++it) {
      if (authors[u.id].count(it->author) && expected.size() < 25) expected.push_back(it->id);
    }
    std::vector<TweetId> actual;
    for (const auto& e : feeds[u.id]) {
      const auto& tweet = d.tweets[static_cast<std::size_t>(e.tweet_id - 1)];
      EXPECT_EQ(e.author_id, tweet.author);
      EXPECT_EQ(e.created_at, tweet.created_at);
      EXPECT_TRUE(authors[u.id].count(e.author_id));
      actual.push_back(e.tweet_id);
    }
    EXPECT_EQ(actual, expected) << "user " << u.id;
  }
}

TEST(SeedData, LikesAreUniquePerUserAndTweetAndCountsAreExact) {
  const SeedData d = generate_seed_data(small());
  ASSERT_EQ(d.likes.size(), 500u);
  ASSERT_EQ(d.comments.size(), 200u);
  std::set<std::pair<UserId, TweetId>> pairs;
  std::map<TweetId, std::int64_t> likes, comments;
  for (const auto& l : d.likes) {
    EXPECT_TRUE(pairs.insert({l.user, l.tweet}).second);
    EXPECT_GT(l.created_at, d.tweets[static_cast<std::size_t>(l.tweet - 1)].created_at);
    ++likes[l.tweet];
  }
  for (const auto& c : d.comments) {
    EXPECT_GT(c.created_at, d.tweets[static_cast<std::size_t>(c.tweet - 1)].created_at);
    EXPECT_LE(c.content.size(), 140u);
    ++comments[c.tweet];
  }
  for (const auto& t : d.tweets) {
    EXPECT_EQ(t.likes_count, likes[t.id]);
    EXPECT_EQ(t.comments_count, comments[t.id]);
  }
}

TEST(SeedData, StarsGainTheirFollowersAndPastTheThresholdArePulledNotPushed) {
  SeedOptions o = small();
  o.star_followers = {50, 30};  // 2 stars: followers are users 3..52 and 3..32
  o.celebrity_threshold = 40;
  const SeedData d = generate_seed_data(o);
  std::map<UserId, std::set<UserId>> followers;
  std::set<std::pair<UserId, UserId>> pairs;
  for (const auto& f : d.follows) {
    EXPECT_TRUE(pairs.insert({f.from, f.to}).second) << f.from << " -> " << f.to;
    followers[f.to].insert(f.from);
  }
  for (UserId id = 3; id <= 52; ++id) EXPECT_TRUE(followers[1].count(id)) << id;
  for (UserId id = 3; id <= 32; ++id) EXPECT_TRUE(followers[2].count(id)) << id;
  for (const auto& u : d.users) {
    EXPECT_EQ(u.followers_count, static_cast<std::int64_t>(followers[u.id].size()));
    EXPECT_EQ(u.pull_mode, u.followers_count > 40) << "user " << u.id;
  }
  ASSERT_TRUE(d.users[0].pull_mode);
  // A pull-mode author's tweets are only in their own feed (followers merge them when reading).
  bool star_tweeted = false;
  for (const auto& e : d.feeds) {
    const SeedUser& author = d.users[static_cast<std::size_t>(e.author_id - 1)];
    if (author.pull_mode) {
      EXPECT_EQ(e.user_id, e.author_id);
    }
    star_tweeted = star_tweeted || e.author_id == 1;
  }
  EXPECT_TRUE(star_tweeted);  // user 1 is the most likely author
  o.star_followers = {59};    // 60 users, 1 star: 59 others
  EXPECT_TRUE(seed_options_error(o).empty());
  o.star_followers = {60};
  EXPECT_FALSE(seed_options_error(o).empty());
}

TEST(SeedData, OptionsThatCannotBeMetAreRefused) {
  SeedOptions o = small();
  o.users = 3;
  o.follows = 4;  // 3 users have 6 ordered pairs; at most half are asked for
  EXPECT_FALSE(seed_options_error(o).empty());
  EXPECT_THROW(generate_seed_data(o), std::invalid_argument);
  o.follows = 3;
  EXPECT_TRUE(seed_options_error(o).empty());
  o.tweets = 0;
  EXPECT_FALSE(seed_options_error(o).empty());  // likes and comments need tweets
  o.likes = o.comments = 0;
  const SeedData d = generate_seed_data(o);
  EXPECT_EQ(d.follows.size(), 3u);
  EXPECT_TRUE(d.feeds.empty());
}

}  // namespace
}  // namespace chirp::domain
