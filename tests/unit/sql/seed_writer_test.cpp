#include "store/sql/seed_writer.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <string>
#include <vector>

#include "sql_test_support.hpp"
#include "store/sql/newsfeed_repository.hpp"
#include "store/sql/tweet_repository.hpp"
#include "store/sql/user_repository.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql {
namespace {

using testing::BackendTest;

class SeedWriterTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(SeedWriterTest);

domain::SeedData small_data() {
  domain::SeedOptions options;
  options.users = 40;
  options.follows = 400;
  options.tweets = 500;  // more rows than one statement holds, and a shorter last statement
  options.likes = 300;
  options.comments = 90;
  options.feed_size = 30;
  options.now = 1'800'000'000'000'000;
  return domain::generate_seed_data(options);
}

long long count(Database& database, const std::string& sql) {
  return database.run([&](soci::session& session) {
    long long n = 0;
    session << sql, soci::into(n);
    return n;
  });
}

TEST_P(SeedWriterTest, WritesEveryRowOnceAndRefusesADatabaseWithUsers) {
  const domain::SeedData data = small_data();
  SeedWriter writer(database());
  EXPECT_FALSE(writer.has_users());
  std::vector<std::string> tables;
  ASSERT_TRUE(writer.write(data, "stored-hash", {}, [&](std::string_view table, std::int64_t) {
    tables.emplace_back(table);
  }));
  EXPECT_EQ(tables.size(), 8u);
  EXPECT_TRUE(writer.has_users());

  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM users"), 40);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM profiles"), 40);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM friendships"), 400);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM tweets"), 500);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM newsfeeds"),
            static_cast<long long>(data.feeds.size()));
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM likes"), 300);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM comments"), 90);
  EXPECT_EQ(count(database(), "SELECT SUM(likes_count) FROM tweets"), 300);
  EXPECT_EQ(count(database(), "SELECT SUM(comments_count) FROM tweets"), 90);

  SqlUserRepository users(database());
  auto first = users.find_by_username("seed_000001");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, 1);
  EXPECT_EQ(first->email, "seed_000001@example.com");
  EXPECT_EQ(first->password_hash, "stored-hash");

  SqlUserStatsRepository stats(database());
  for (const auto& u : data.users) {
    auto s = stats.get(u.id);
    EXPECT_EQ(s.followers_count, u.followers_count);
    EXPECT_EQ(s.followings_count, u.followings_count);
    EXPECT_EQ(s.tweets_count, u.tweets_count);
  }

  SqlTweetRepository tweets(database());
  auto tweet = tweets.find(data.tweets.back().id);
  ASSERT_TRUE(tweet);
  EXPECT_EQ(tweet->content, data.tweets.back().content);
  EXPECT_EQ(tweet->created_at, data.tweets.back().created_at);

  SqlNewsfeedRepository feeds(database());
  auto feed = feeds.list(1, domain::TimeRange{{}, {}, 100});
  std::vector<domain::TweetId> expected;
  for (const auto& e : data.feeds) {
    if (e.user_id == 1) expected.push_back(e.tweet_id);
  }
  std::vector<domain::TweetId> actual;
  for (const auto& item : feed) actual.push_back(item.id);
  EXPECT_EQ(actual, expected);

  EXPECT_FALSE(writer.write(data, "stored-hash", {}, {}));
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM friendships"), 400);
}

// Friendships and feeds kept in the wide-column store are not written to SQL; the counters and the
// pull-mode flag of a star past the threshold are.
TEST_P(SeedWriterTest, LeavesOutTheTablesOfTheWideColumnStoreAndMarksPullModeAuthors) {
  domain::SeedOptions options;
  options.users = 30;
  options.follows = 20;
  options.tweets = 50;
  options.likes = options.comments = 0;
  options.star_followers = {25};
  options.celebrity_threshold = 10;
  options.now = 1'800'000'000'000'000;
  const domain::SeedData data = domain::generate_seed_data(options);
  SeedWriter writer(database());
  ASSERT_TRUE(writer.write(data, "stored-hash", SeedTables{false, false}, {}));
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM friendships"), 0);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM newsfeeds"), 0);
  EXPECT_EQ(count(database(), "SELECT COUNT(*) FROM tweets"), 50);

  SqlUserStatsRepository stats(database());
  EXPECT_GE(stats.get(1).followers_count, 25);
  EXPECT_TRUE(stats.get(1).pull_mode);
  EXPECT_FALSE(stats.get(2).pull_mode);
  std::vector<domain::UserId> pulled = stats.pull_mode_users();
  EXPECT_EQ(pulled, std::vector<domain::UserId>{1});
}

}  // namespace
}  // namespace chirp::store::sql
