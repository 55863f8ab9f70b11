#include "store/redis/redis_rate_limit_store.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "redis_test_support.hpp"

using chirp::store::redis::RedisClient;
using chirp::store::redis::RedisOptions;
using chirp::store::redis::RedisRateLimitStore;
using chirp::store::redis::testing::options_for;
using chirp::store::redis::testing::unique_prefix;
using chirp::store::redis::testing::unused_port;

TEST(RedisRateLimitStore, CountsHitsPerKeyAndWindow) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient client(options_for(url));
  RedisRateLimitStore store(client);
  std::string alice = unique_prefix() + "ip:10.0.0.1";
  std::string bob = unique_prefix() + "ip:10.0.0.2";
  for (const auto& counter : {alice + ":1000", alice + ":1060", bob + ":1000"}) {
    client.command({"DEL", "chirp:rl:" + counter});
  }
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(store.hit(alice, 1000, 60), i);
  EXPECT_EQ(store.hit(bob, 1000, 60), 1);
  EXPECT_EQ(store.hit(alice, 1060, 60), 1);  // the next window starts afresh
  EXPECT_EQ(store.hit(alice, 1000, 60), 6);  // a late hit still counts in its own window
  EXPECT_EQ(store.errors(), 0);

  // Each window's counter lives one second past the window's length.
  auto ttl = client.command({"TTL", "chirp:rl:" + alice + ":1000"}).integer;
  EXPECT_GT(ttl, 55);
  EXPECT_LE(ttl, 61);
}

TEST(RedisRateLimitStore, ProcessesShareWindows) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient first_client(options_for(url));
  RedisClient second_client(options_for(url));
  RedisRateLimitStore first(first_client);
  RedisRateLimitStore second(second_client);
  std::string key = unique_prefix() + "user:7";
  first_client.command({"DEL", "chirp:rl:" + key + ":5000"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) (t % 2 ? first : second).hit(key, 5000, 1);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(first.hit(key, 5000, 1), 401);
}

TEST(RedisRateLimitStore, FailsOpenWhenRedisIsDown) {
  RedisOptions options;
  options.url = "redis://127.0.0.1:" + std::to_string(unused_port()) + "/0";
  RedisClient client(options);
  RedisRateLimitStore store(client);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(store.hit("ip:1", 1000, 60), 1);
  EXPECT_EQ(store.errors(), 10);
  EXPECT_FALSE(client.dirty());  // a lost count is no stale data
}
