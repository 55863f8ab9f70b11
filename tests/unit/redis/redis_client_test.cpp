#include "store/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "redis_test_support.hpp"

using namespace std::chrono_literals;
using chirp::store::redis::parse_redis_url;
using chirp::store::redis::RedisClient;
using chirp::store::redis::RedisCommand;
using chirp::store::redis::RedisError;
using chirp::store::redis::RedisOptions;
using chirp::store::redis::RedisReply;
using chirp::store::redis::RedisScript;
using chirp::store::redis::RedisUnavailable;
using chirp::store::redis::testing::options_for;
using chirp::store::redis::testing::unique_prefix;
using chirp::store::redis::testing::unused_port;

TEST(RedisUrl, ParsesHostPortAndDatabase) {
  auto endpoint = parse_redis_url("redis://127.0.0.1:6380/3");
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, 6380);
  EXPECT_EQ(endpoint.db, 3);
  EXPECT_TRUE(endpoint.password.empty());

  endpoint = parse_redis_url("redis://cache.internal");
  EXPECT_EQ(endpoint.host, "cache.internal");
  EXPECT_EQ(endpoint.port, 6379);
  EXPECT_EQ(endpoint.db, 0);

  endpoint = parse_redis_url("redis://:s3cret@[::1]:7000/");
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 7000);
  EXPECT_EQ(endpoint.password, "s3cret");
}

TEST(RedisUrl, RejectsWhatItCannotUse) {
  for (const char* bad :
       {"", "http://h:1/0", "redis://", "redis://:6379/0", "redis://h:0/0", "redis://h:65536",
        "redis://h:x/0", "redis://h:1/db", "redis://h:1/-1", "redis://h:/0",
        "redis://user:pw@h:1/0", "redis://h:1/0?timeout=3", "redis://[::1:1/0"}) {
    EXPECT_THROW(parse_redis_url(bad), std::invalid_argument) << bad;
  }
  EXPECT_THROW(RedisClient(RedisOptions{.url = "mysql://h/0"}), std::invalid_argument);
}

TEST(RedisClient, PipelineAnswersInOrderWithErrorsInPlace) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient client(options_for(url));
  std::string key = unique_prefix() + "counter";
  std::vector<RedisCommand> commands{{"DEL", key},
                                     {"INCRBY", key, "5"},
                                     {"GET", key},
                                     {"HGET", key, "field"},  // wrong type
                                     {"GET", key + ":missing"},
                                     {"EXPIRE", key, "60"}};
  auto replies = client.pipeline(commands);
  ASSERT_EQ(replies.size(), commands.size());
  EXPECT_EQ(replies[1].integer, 5);
  EXPECT_EQ(replies[2].text, "5");
  EXPECT_TRUE(replies[3].is_error());
  EXPECT_TRUE(replies[4].is_nil());
  EXPECT_EQ(replies[5].integer, 1);
  EXPECT_EQ(client.counters().round_trips, 1);
  EXPECT_TRUE(client.ping());
}

TEST(RedisClient, ScriptsSurviveALostScriptCache) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient client(options_for(url));
  RedisScript script("return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1}");
  std::string key = unique_prefix() + "k";
  auto reply = client.eval(script, {key}, {"a", "41"});
  ASSERT_EQ(reply.elements.size(), 3u);
  EXPECT_EQ(reply.elements[0].text, key);
  EXPECT_EQ(reply.elements[2].integer, 42);

  // What a restarted server looks like to EVALSHA: NOSCRIPT, answered by EVAL.
  EXPECT_EQ(client.command({"SCRIPT", "FLUSH"}).text, "OK");
  EXPECT_EQ(client.eval(script, {key}, {"b", "1"}).elements[2].integer, 2);
  EXPECT_EQ(client.eval(script, {key}, {"c", "2"}).elements[2].integer, 3);

  RedisScript broken("return redis.call('NOSUCHCOMMAND')");
  EXPECT_THROW(client.eval(broken, {}, {}), RedisError);
  EXPECT_TRUE(client.ping());  // a script error is no reason to stop using Redis
  EXPECT_EQ(client.counters().failures, 0);
}

TEST(RedisClient, ThePoolIsSharedByManyThreads) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisOptions options = options_for(url);
  options.pool_size = 3;
  RedisClient client(options);
  std::string key = unique_prefix() + "hits";
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) client.command({"INCR", key});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(client.command({"GET", key}).text, "2400");
  client.command({"DEL", key});
  auto stats = client.pool_stats();
  EXPECT_EQ(stats.capacity, 3u);
  EXPECT_LE(stats.open, 3u);
  EXPECT_GE(stats.open, 1u);
  EXPECT_EQ(stats.in_use, 0u);
  EXPECT_EQ(client.counters().connects, static_cast<std::int64_t>(stats.open));
}

TEST(RedisClient, TheBreakerFailsFastAfterAFailureThenTriesAgain) {
  RedisOptions options;
  options.url = "redis://127.0.0.1:" + std::to_string(unused_port()) + "/0";
  options.retry_after_failure = 200ms;
  RedisClient client(options);
  EXPECT_THROW(client.command({"PING"}), RedisUnavailable);
  EXPECT_EQ(client.counters().failures, 1);
  for (int i = 0; i < 100; ++i) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(client.ping());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5ms);
  }
  EXPECT_EQ(client.counters().failures, 1);  // no connection was attempted meanwhile
  EXPECT_EQ(client.counters().fast_failures, 100);
  std::this_thread::sleep_for(250ms);
  EXPECT_FALSE(client.ping());  // the probe after the pause
  EXPECT_EQ(client.counters().failures, 2);
  EXPECT_EQ(client.pool_stats().open, 0u);
}
