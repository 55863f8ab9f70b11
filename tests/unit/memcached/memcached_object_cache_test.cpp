// Runs against a real memcached: CHIRP_TEST_MEMCACHED_URL=memcached://127.0.0.1:PORT (tests that
// need one are skipped without it). With CHIRP_TEST_MEMCACHED_DIR (the DIR given to
// scripts/memcached.sh start) the survival tests also stop, restart, pause and resume it.
#include "store/memcached/memcached_object_cache.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/memcached/memcached_url.hpp"

namespace chirp::store::memcached {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kIoTimeout = 100ms;
constexpr auto kRetryAfter = 200ms;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string memcached_url() {
  return env("CHIRP_TEST_MEMCACHED_URL");
}

#define REQUIRE_MEMCACHED()                                                              \
  if (memcached_url().empty()) {                                                         \
    GTEST_SKIP() << "set CHIRP_TEST_MEMCACHED_URL (see scripts/memcached.sh start DIR)"; \
  }
#define REQUIRE_MEMCACHED_CONTROL()                                                          \
  REQUIRE_MEMCACHED();                                                                       \
  if (env("CHIRP_TEST_MEMCACHED_DIR").empty()) {                                             \
    GTEST_SKIP() << "set CHIRP_TEST_MEMCACHED_DIR to let the test stop and start memcached"; \
  }

MemcachedOptions test_options(std::string url) {
  MemcachedOptions options;
  options.url = std::move(url);
  options.connect_timeout = kIoTimeout;
  options.io_timeout = kIoTimeout;
  options.retry_after_failure = kRetryAfter;
  return options;
}

// Keys of one test, apart from every other test and run sharing the server.
std::string unique_key(std::string_view name) {
  static std::atomic<int> counter{0};
  return "test" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ":" +
         std::string(name);
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs scripts/memcached.sh CMD DIR on the test's private server.
void control(const std::string& cmd) {
  auto script = std::filesystem::path(__FILE__).parent_path() / "../../../scripts/memcached.sh";
  std::string line = script.lexically_normal().string() + " " + cmd + " " +
                     env("CHIRP_TEST_MEMCACHED_DIR") + " >/dev/null";
  ASSERT_EQ(std::system(line.c_str()), 0) << line;
}

// Reads the server directly, bypassing the cache under test.
class RawClient {
 public:
  explicit RawClient(const std::string& url) : memc_(memcached_create(nullptr)) {
    memcached_behavior_set(memc_, MEMCACHED_BEHAVIOR_BINARY_PROTOCOL, 1);
    for (const auto& server : parse_memcached_url(url)) {
      memcached_server_add(memc_, server.host.c_str(), server.port);
    }
  }
  ~RawClient() { memcached_free(memc_); }

  std::optional<std::string> get(const std::string& key) {
    memcached_return_t rc;
    std::size_t length = 0;
    std::uint32_t flags = 0;
    char* value = memcached_get(memc_, key.data(), key.size(), &length, &flags, &rc);
    if (value == nullptr) return std::nullopt;
    std::string copy(value, length);
    std::free(value);
    return copy;
  }

 private:
  memcached_st* memc_;
};

// A TCP port that accepts connections (in the kernel's backlog) and never answers: a hung server.
class SilentListener {
 public:
  SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
      ADD_FAILURE() << "cannot listen on a loopback port";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

int closed_port() {
  SilentListener listener;
  return listener.port();  // closed again when the listener goes
}

TEST(MemcachedObjectCache, SetGetErase) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string key = unique_key("tweet:12");

  EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
  cache.set(key, "first");
  EXPECT_EQ(cache.get_many({key})[0], "first");
  cache.set(key, "second");
  EXPECT_EQ(cache.get_many({key})[0], "second");
  cache.erase(key);
  EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
  cache.erase(key);  // erasing what is not there is fine

  EXPECT_EQ(cache.hits(), 2);
  EXPECT_EQ(cache.misses(), 2);
  EXPECT_TRUE(cache.ping());
  auto servers = cache.servers();
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_TRUE(servers[0].available);
  EXPECT_EQ(servers[0].failures, 0);
  auto pool = cache.pool_stats();
  EXPECT_EQ(pool.size, 8u);
  EXPECT_EQ(pool.in_use, 0u);
}

// add is a fill: it stores only into an empty key, and a refused add is not a failure.
TEST(MemcachedObjectCache, AddStoresOnlyWhenTheKeyIsEmpty) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string key = unique_key("liked:2:7:1");
  cache.add(key, "0");
  EXPECT_EQ(cache.get_many({key})[0], "0");
  cache.set(key, "1");
  cache.add(key, "0");
  EXPECT_EQ(cache.get_many({key})[0], "1");
  EXPECT_TRUE(cache.servers()[0].available);
  EXPECT_EQ(cache.servers()[0].failures, 0);
}

TEST(MemcachedObjectCache, KeysArePrefixed) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string key = unique_key("user:3");
  cache.set(key, "v");
  RawClient raw(memcached_url());
  EXPECT_EQ(raw.get("chirp:" + key), "v");
  EXPECT_EQ(raw.get(key), std::nullopt);
}

TEST(MemcachedObjectCache, MultiGetKeepsKeyOrderWithHitsAndMisses) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) keys.push_back(unique_key("tweet:" + std::to_string(i)));
  for (int i = 0; i < 50; i += 3) cache.set(keys[i], "value-" + std::to_string(i));
  keys.push_back(keys[3]);  // asked twice: answered in both places
  keys.push_back(keys[4]);

  auto values = cache.get_many(keys);
  ASSERT_EQ(values.size(), keys.size());
  for (int i = 0; i < 50; ++i) {
    if (i % 3 == 0) {
      EXPECT_EQ(values[i], "value-" + std::to_string(i)) << i;
    } else {
      EXPECT_EQ(values[i], std::nullopt) << i;
    }
  }
  EXPECT_EQ(values[50], "value-3");
  EXPECT_EQ(values[51], std::nullopt);
  EXPECT_TRUE(cache.get_many({}).empty());
}

// What a page costs the server: a multi-get of any size is one request, as is each write.
TEST(MemcachedObjectCache, RequestsCountsRoundTripsNotKeys) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) keys.push_back(unique_key("liked:" + std::to_string(i)));
  EXPECT_EQ(cache.requests(), 0);
  cache.get_many(keys);
  EXPECT_EQ(cache.requests(), 1);
  cache.get_many({});
  EXPECT_EQ(cache.requests(), 1);
  cache.set(keys[0], "1");
  cache.add(keys[0], "0");
  cache.erase(keys[0]);
  EXPECT_EQ(cache.requests(), 4);
}

TEST(MemcachedObjectCache, BinaryValuesRoundTrip) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  std::string nuls("\0a\0\0b\0", 6);
  std::string large(200'000, '\0');
  for (std::size_t i = 0; i < large.size(); i += 7) large[i] = static_cast<char>(i);

  std::vector<std::string> keys = {unique_key("a"), unique_key("b"), unique_key("c"),
                                   unique_key("empty")};
  cache.set(keys[0], all_bytes);
  cache.set(keys[1], nuls);
  cache.set(keys[2], large);
  cache.set(keys[3], "");
  auto values = cache.get_many(keys);
  EXPECT_EQ(values[0], all_bytes);
  EXPECT_EQ(values[1], nuls);
  EXPECT_EQ(values[2], large);
  EXPECT_EQ(values[3], "");
}

TEST(MemcachedObjectCache, OversizedValueIsNotCachedAndDropsTheOlderCopy) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string key = unique_key("huge");
  cache.set(key, "small");
  cache.set(key, std::string(2 << 20, 'x'));  // above memcached's 1 MB item limit
  EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
  EXPECT_TRUE(cache.servers()[0].available);  // a refusal is no failure of the server
  EXPECT_EQ(cache.servers()[0].failures, 0);
}

TEST(MemcachedObjectCache, OverlongKeysAlwaysMiss) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string key = unique_key(std::string(300, 'k'));
  std::string fine = unique_key("fine");
  cache.set(key, "v");
  cache.set(fine, "w");
  auto values = cache.get_many({key, fine});
  EXPECT_EQ(values[0], std::nullopt);
  EXPECT_EQ(values[1], "w");
  cache.erase(key);
  EXPECT_EQ(cache.servers()[0].failures, 0);
  EXPECT_FALSE(cache.servers()[0].dirty);
}

TEST(MemcachedObjectCache, EightThreadsAtOnce) {
  REQUIRE_MEMCACHED();
  MemcachedObjectCache cache(test_options(memcached_url()));
  constexpr int kThreads = 8;
  constexpr int kRounds = 1000;
  std::string shared = unique_key("shared");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::string> own;
      for (int k = 0; k < 10; ++k) {
        own.push_back(unique_key("t" + std::to_string(t) + "k" + std::to_string(k)));
      }
      for (int round = 0; round < kRounds; ++round) {
        std::string value = std::to_string(t) + ":" + std::to_string(round);
        cache.set(own[round % own.size()], value);
        cache.set(shared, value);
        auto keys = own;
        keys.push_back(shared);
        auto values = cache.get_many(keys);
        if (values[round % own.size()] != value) ++wrong;
        // Another thread may have written the shared key, but never a torn value.
        if (!values.back() || values.back()->find(':') == std::string::npos) ++wrong;
        if (round % 10 == 0) cache.erase(own[round % own.size()]);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  double elapsed = ms_since(start);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(cache.servers()[0].failures, 0);
  EXPECT_EQ(cache.pool_stats().in_use, 0u);
  EXPECT_EQ(cache.pool_stats().acquire_timeouts, 0);
  std::printf(
      "[ info ] %d threads x %d rounds (2 sets + 1 multi-get of 11 keys): %.0f ms, %.0f ops/s\n",
      kThreads, kRounds, elapsed, kThreads * kRounds * 3 / (elapsed / 1000));
}

// No memcached needed: nothing listens on the port.
TEST(MemcachedObjectCache, UnreachableServerMissesQuickly) {
  MemcachedObjectCache cache(
      test_options("memcached://127.0.0.1:" + std::to_string(closed_port())));
  std::string key = unique_key("k");
  auto start = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    cache.set(key, "v");
    EXPECT_EQ(cache.get_many({key, key})[0], std::nullopt);
    cache.erase(key);
  }
  double elapsed = ms_since(start);
  EXPECT_LT(elapsed, 500) << "3000 calls to a dead server";
  EXPECT_EQ(cache.misses(), 2000);
  EXPECT_FALSE(cache.ping());
  auto status = cache.servers()[0];
  EXPECT_FALSE(status.available);
  EXPECT_TRUE(status.dirty);  // erases were lost
  std::printf("[ info ] 3000 calls with the server refusing connections: %.1f ms\n", elapsed);
}

// No memcached needed: a listener that never answers, so requests time out.
TEST(MemcachedObjectCache, HungServerTimesOutOnceThenFailsFast) {
  SilentListener hung;
  MemcachedObjectCache cache(test_options("memcached://127.0.0.1:" + std::to_string(hung.port())));
  std::string key = unique_key("k");

  auto start = Clock::now();
  EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
  double first = ms_since(start);
  EXPECT_GE(first, 0.8 * kIoTimeout.count());
  EXPECT_LT(first, 5.0 * kIoTimeout.count());

  start = Clock::now();
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
    cache.set(key, "v");
    cache.erase(key);
  }
  double breaker_open = ms_since(start);
  EXPECT_LT(breaker_open, 0.5 * kRetryAfter.count()) << "no network while the breaker is open";
  EXPECT_TRUE(cache.servers()[0].dirty);
  std::printf("[ info ] hung server: first call %.1f ms, next 300 calls %.2f ms\n", first,
              breaker_open);
}

// One of two servers is unreachable: only its keys miss.
TEST(MemcachedObjectCache, OneServerDownMissesOnlyItsKeys) {
  REQUIRE_MEMCACHED();
  std::string down = "127.0.0.1:" + std::to_string(closed_port());
  std::string url = memcached_url() + "," + down;
  MemcachedObjectCache cache(test_options(url));
  std::vector<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.push_back(unique_key("tweet:" + std::to_string(i)));
  for (const auto& key : keys) cache.set(key, "v:" + key);

  auto values = cache.get_many(keys);
  RawClient raw(memcached_url());
  int hits = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    bool on_live_server = raw.get("chirp:" + keys[i]).has_value();
    if (on_live_server) {
      ++hits;
      EXPECT_EQ(values[i], "v:" + keys[i]);
    } else {
      EXPECT_EQ(values[i], std::nullopt);
    }
  }
  // Ketama spreads keys over both servers; the live one holds roughly half.
  EXPECT_GT(hits, 40);
  EXPECT_LT(hits, 160);
  auto servers = cache.servers();
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0].available, servers[0].address != down);
  EXPECT_EQ(servers[1].available, servers[1].address != down);
  std::printf("[ info ] two servers, one down: %d of 200 keys still hit\n", hits);
}

// memcached stops (the cache is gone) and comes back empty on the same port.
TEST(MemcachedSurvival, StoppedAndRestarted) {
  REQUIRE_MEMCACHED_CONTROL();
  MemcachedObjectCache cache(test_options(memcached_url()));
  std::string key = unique_key("tweet:1");
  cache.set(key, "old");
  ASSERT_EQ(cache.get_many({key})[0], "old");

  control("stop");
  struct Restore {
    ~Restore() {
      if (armed) control("restart");
    }
    bool armed = true;
  } restore;

  auto start = Clock::now();
  for (int i = 0; i < 100; ++i) EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
  double down_gets = ms_since(start);
  cache.erase(key);  // the write made while the cache is away
  cache.set(key, "written while down");
  EXPECT_FALSE(cache.ping());

  control("restart");
  restore.armed = false;
  std::this_thread::sleep_for(kRetryAfter + 50ms);
  EXPECT_EQ(cache.get_many({key})[0], std::nullopt);
  cache.set(key, "new");
  EXPECT_EQ(cache.get_many({key})[0], "new");
  EXPECT_TRUE(cache.servers()[0].available);
  EXPECT_TRUE(cache.ping());
  std::printf("[ info ] 100 multi-gets while stopped: %.1f ms\n", down_gets);
}

// memcached hangs (SIGSTOP) with its data intact; an erase made meanwhile never reaches it; it
// answers again (SIGCONT) still holding the old copy: that copy must never be served.
TEST(MemcachedSurvival, PausedServerIsFlushedBeforeItIsReadAgain) {
  REQUIRE_MEMCACHED_CONTROL();
  MemcachedObjectCache cache(test_options(memcached_url()));
  RawClient raw(memcached_url());
  std::string key = unique_key("tweet:2");
  std::string other = unique_key("tweet:3");
  cache.set(key, "old");
  cache.set(other, "untouched");
  ASSERT_EQ(raw.get("chirp:" + key), "old");

  control("pause");
  struct Restore {
    ~Restore() {
      if (armed) control("resume");
    }
    bool armed = true;
  } restore;

  auto start = Clock::now();
  EXPECT_EQ(cache.get_many({key, other})[0], std::nullopt);  // times out: the breaker opens
  double first_ms = ms_since(start);
  EXPECT_LT(first_ms, 5.0 * kIoTimeout.count());
  start = Clock::now();
  cache.erase(key);  // the write made while the cache is away: not even sent
  for (int i = 0; i < 100; ++i) EXPECT_EQ(cache.get_many({key, other})[0], std::nullopt);
  double down_calls = ms_since(start);
  EXPECT_LT(down_calls, 0.5 * kRetryAfter.count());
  EXPECT_TRUE(cache.servers()[0].dirty);

  control("resume");
  restore.armed = false;
  EXPECT_EQ(raw.get("chirp:" + key), "old");  // what a cache without the flush would serve
  std::this_thread::sleep_for(kRetryAfter + 50ms);
  auto values = cache.get_many({key, other});
  EXPECT_EQ(values[0], std::nullopt);
  EXPECT_EQ(values[1], std::nullopt);  // flushed with everything else
  EXPECT_EQ(raw.get("chirp:" + key), std::nullopt);
  auto status = cache.servers()[0];
  EXPECT_TRUE(status.available);
  EXPECT_FALSE(status.dirty);
  EXPECT_EQ(status.flushes, 1);
  cache.set(key, "new");
  EXPECT_EQ(cache.get_many({key})[0], "new");
  std::printf(
      "[ info ] paused server: first multi-get %.1f ms, then an erase + 100 multi-gets %.2f ms\n",
      first_ms, down_calls);
}

}  // namespace
}  // namespace chirp::store::memcached
