// Redis stopped and restarted under the caches (issue 5's survival rule): every call still answers
// (a miss, an ignored fill, a fail-open count), quickly once the breaker is open, and after Redis
// returns nothing cached before a lost write is served. Each test runs its own private server
// (scripts/redis.sh in CHIRP_TEST_REDIS_DIR), so stopping it disturbs no other test.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "redis_test_support.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/redis_rate_limit_store.hpp"
#include "store/redis/redis_timeline_cache.hpp"

using namespace std::chrono_literals;
using chirp::domain::TimelineItem;
using chirp::domain::TimeRange;
using chirp::store::redis::RedisClient;
using chirp::store::redis::RedisOptions;
using chirp::store::redis::RedisRateLimitStore;
using chirp::store::redis::RedisTimelineCache;
using chirp::store::redis::testing::env;
using chirp::store::redis::testing::run_redis_script;
using chirp::store::redis::testing::unique_prefix;
using Clock = std::chrono::steady_clock;

namespace {

const TimeRange kNewest{std::nullopt, std::nullopt, 20};

class RedisSurvivalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto base = env("CHIRP_TEST_REDIS_DIR");
    if (!base) GTEST_SKIP() << "CHIRP_TEST_REDIS_DIR is not set";
    std::string name = "survival-" + unique_prefix();
    std::replace(name.begin(), name.end(), ':', '-');
    dir_ = std::filesystem::path(*base) / name;
    url_ = run_redis_script("start", dir_);
  }
  void TearDown() override {
    if (dir_.empty()) return;
    run_redis_script("stop", dir_);
    std::filesystem::remove_all(dir_);
  }

  RedisOptions options() const {
    RedisOptions options;
    options.url = url_;
    options.retry_after_failure = 300ms;
    return options;
  }
  void stop() { run_redis_script("stop", dir_); }
  // On the same port, so the clients find it again by themselves.
  void restart() { run_redis_script("restart", dir_); }

  std::filesystem::path dir_;
  std::string url_;
};

template <typename F>
Clock::duration time_of(F&& call) {
  auto start = Clock::now();
  call();
  return Clock::now() - start;
}

}  // namespace

TEST_F(RedisSurvivalTest, WhileDownEverythingAnswersFastAndAfterwardsNothingStaleIsServed) {
  RedisClient client(options());
  RedisTimelineCache cache(client, 100);
  RedisRateLimitStore limits(client);
  cache.fill("feed:1", {{3, 30}, {2, 20}, {1, 10}}, true, cache.fill_ticket("feed:1"));
  ASSERT_TRUE(cache.range("feed:1", kNewest).has_value());
  // Make the server come back with this list (as a server that kept its data would, or one that
  // stayed up for the other chirp processes while this one could not reach it).
  ASSERT_EQ(client.command({"SAVE"}).text, "OK");

  stop();
  // The first call finds the pooled connection dead and cannot reconnect: that opens the breaker.
  EXPECT_EQ(cache.range("feed:1", kNewest), std::nullopt);
  // Long enough for the breaker to let probes through now and then: they fail fast too here
  // (connection refused); a server that hangs costs one timeout, see below.
  Clock::duration slowest{};
  int calls = 0;
  for (auto end = Clock::now() + 1s; Clock::now() < end; calls += 3) {
    slowest = std::max(slowest,
                       time_of([&] { EXPECT_EQ(cache.range("feed:1", kNewest), std::nullopt); }));
    slowest = std::max(slowest, time_of([&] {
                         auto ticket = cache.fill_ticket("feed:1");
                         cache.fill("feed:1", {{9, 90}}, true, ticket);
                       }));
    slowest = std::max(slowest, time_of([&] { EXPECT_EQ(limits.hit("ip:1", 1000, 60), 1); }));
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_LT(slowest, 50ms);
  std::printf("[ measure  ] slowest of %d calls while Redis was down: %.3f ms (%d probes)\n", calls,
              std::chrono::duration<double, std::milli>(slowest).count(),
              static_cast<int>(client.counters().failures));
  EXPECT_GT(client.counters().fast_failures, 0);
  EXPECT_GE(client.counters().failures, 3);  // probes after each pause

  // A write while Redis is down: the tweet 3 was deleted from the store.
  EXPECT_FALSE(client.dirty());
  cache.invalidate("feed:1");
  EXPECT_TRUE(client.dirty());

  restart();
  {
    // The server came back with the old list (a client that saw no failure would serve it)...
    RedisClient innocent(options());
    EXPECT_EQ(innocent.command({"EXISTS", "chirp:tl:{feed:1}:meta"}).integer, 1);
  }
  std::this_thread::sleep_for(350ms);  // the breaker's pause
  // ...but this client flushes before its next use, so the next read is a miss, not the stale list.
  EXPECT_EQ(cache.range("feed:1", kNewest), std::nullopt);
  EXPECT_FALSE(client.dirty());
  EXPECT_EQ(client.counters().flushes, 1);

  // And the cache works again without restarting anything.
  cache.fill("feed:1", {{2, 20}, {1, 10}}, true, cache.fill_ticket("feed:1"));
  auto page = cache.range("feed:1", kNewest);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(limits.hit("ip:1", 1000, 60), 1);
}

TEST_F(RedisSurvivalTest, ARestartWithoutLostWritesCostsNoFailure) {
  RedisClient client(options());
  RedisTimelineCache cache(client, 100);
  for (int i = 0; i < 4; ++i) {  // several pooled connections, all to be found dead
    cache.fill("feed:" + std::to_string(i), {}, true,
               cache.fill_ticket("feed:" + std::to_string(i)));
  }
  restart();
  // Idle connections died with the old server; the client reconnects on the spot.
  EXPECT_EQ(cache.range("feed:0", kNewest), std::nullopt);  // the data went with the server
  cache.fill("feed:0", {{1, 10}}, true, cache.fill_ticket("feed:0"));
  EXPECT_TRUE(cache.range("feed:0", kNewest).has_value());
  EXPECT_EQ(client.counters().failures, 0);
  EXPECT_EQ(client.counters().flushes, 0);
  EXPECT_EQ(cache.errors(), 0);
}

TEST_F(RedisSurvivalTest, ALostWriteFlushesTheDatabaseOnTheNextUse) {
  RedisClient client(options());
  RedisClient other(options());
  ASSERT_EQ(other.command({"SET", "chirp:tl:{feed:1}:meta", "1"}).text, "OK");
  client.mark_dirty();
  EXPECT_TRUE(client.ping());
  EXPECT_FALSE(client.dirty());
  EXPECT_EQ(other.command({"EXISTS", "chirp:tl:{feed:1}:meta"}).integer, 0);
  EXPECT_EQ(client.counters().flushes, 1);
  EXPECT_TRUE(client.ping());
  EXPECT_EQ(client.counters().flushes, 1);  // once per lost write, not per call
}

TEST_F(RedisSurvivalTest, AHungServerCostsOneTimeoutThenCallsFailFast) {
  RedisOptions hung_options = options();
  hung_options.command_timeout = 100ms;
  RedisClient client(hung_options);
  RedisTimelineCache cache(client, 100);
  cache.fill("feed:1", {{1, 10}}, true, cache.fill_ticket("feed:1"));
  ASSERT_TRUE(cache.range("feed:1", kNewest).has_value());

  // SIGSTOP: connections are still accepted by the kernel, but nothing answers.
  std::string pid = run_redis_script("pid", dir_);
  ASSERT_EQ(std::system(("kill -STOP " + pid).c_str()), 0);
  auto first = time_of([&] { cache.add("feed:1", {2, 20}); });  // lost: must flush later
  EXPECT_GE(first, 90ms);
  EXPECT_LT(first, 300ms);  // one timeout, no retry of a command that may still run
  EXPECT_TRUE(client.dirty());
  Clock::duration slowest{};
  for (int i = 0; i < 100; ++i) {
    slowest = std::max(slowest,
                       time_of([&] { EXPECT_EQ(cache.range("feed:1", kNewest), std::nullopt); }));
  }
  EXPECT_LT(slowest, 50ms);
  ASSERT_EQ(std::system(("kill -CONT " + pid).c_str()), 0);

  std::this_thread::sleep_for(350ms);
  EXPECT_EQ(cache.range("feed:1", kNewest), std::nullopt);  // flushed
  EXPECT_EQ(client.counters().flushes, 1);
  cache.fill("feed:1", {{2, 20}, {1, 10}}, true, cache.fill_ticket("feed:1"));
  EXPECT_TRUE(cache.range("feed:1", kNewest).has_value());
}
