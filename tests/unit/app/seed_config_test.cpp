#include <gtest/gtest.h>

#include "app/config.hpp"
#include "app/seed.hpp"

using namespace chirp::app;

namespace {

TEST(SeedConfig, DefaultsAndFlags) {
  Config defaults = parse_config(Command::Seed, {}, {}, nullptr);
  EXPECT_EQ(defaults.seed_users, 10000);
  EXPECT_EQ(defaults.seed_follows, 1'000'000);
  EXPECT_EQ(defaults.seed_tweets, 200'000);
  EXPECT_EQ(defaults.seed_likes, 100'000);
  EXPECT_EQ(defaults.seed_comments, 50'000);
  EXPECT_EQ(defaults.seed_feed_size, 200);
  EXPECT_EQ(defaults.seed, 1u);
  EXPECT_EQ(defaults.seed_password, "chirp-seed-pw");

  Config c = parse_config(
      Command::Seed,
      {"--users", "50", "--follows", "500", "--tweets", "300", "--seed", "9", "--password", "pw",
       "--feed-size", "7", "--likes", "1", "--comments", "2", "--password-cost", "min"},
      {}, nullptr);
  auto o = seed_options(c);
  EXPECT_EQ(o.users, 50);
  EXPECT_EQ(o.follows, 500);
  EXPECT_EQ(o.tweets, 300);
  EXPECT_EQ(o.seed, 9u);
  EXPECT_EQ(o.feed_size, 7u);
  EXPECT_EQ(o.likes, 1);
  EXPECT_EQ(o.comments, 2);
  EXPECT_GT(o.now, 0);
  EXPECT_EQ(c.seed_password, "pw");
  EXPECT_EQ(c.password, "");  // createsuperuser's --password is another setting
}

TEST(SeedConfig, SeedOptionsBelongToSeedOnly) {
  EXPECT_THROW(parse_config(Command::Serve, {"--users", "5"}, {}, nullptr), UsageError);
  EXPECT_THROW(parse_config(Command::Seed, {"--users", "0"}, {}, nullptr), UsageError);
  EXPECT_THROW(parse_config(Command::Seed, {"--listen", "127.0.0.1:1"}, {}, nullptr), UsageError);
  EXPECT_NE(usage(Command::Seed).find("--feed-size"), std::string::npos);
  EXPECT_NE(general_usage().find("seed"), std::string::npos);
}

}  // namespace
