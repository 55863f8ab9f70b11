// The cases of tests/unit/store/local_timeline_cache_test.cpp against Redis, plus what only Redis
// has: exact big scores and ids, string-ordered ties, idle expiry, several processes' clients.
#include "store/redis/redis_timeline_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "redis_test_support.hpp"

using namespace std::chrono_literals;
using chirp::domain::CachedRange;
using chirp::domain::TimelineItem;
using chirp::domain::TimeRange;
using chirp::store::redis::RedisClient;
using chirp::store::redis::RedisTimelineCache;
using chirp::store::redis::testing::options_for;
using chirp::store::redis::testing::unique_prefix;

namespace {

// Items with ids 1..n at times 10, 20, ..., newest first (as a store returns them).
std::vector<TimelineItem> newest_first(int n) {
  std::vector<TimelineItem> items;
  for (int id = n; id >= 1; --id) items.push_back({id, id * 10});
  return items;
}

std::vector<std::int64_t> ids(const std::vector<TimelineItem>& items) {
  std::vector<std::int64_t> out;
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

TimeRange newest(std::size_t limit) {
  return TimeRange{std::nullopt, std::nullopt, limit};
}
TimeRange before(chirp::Micros t, std::size_t limit) {
  return TimeRange{t, std::nullopt, limit};
}
TimeRange after(chirp::Micros t, std::size_t limit) {
  return TimeRange{std::nullopt, t, limit};
}

using Ids = std::vector<std::int64_t>;

class RedisTimelineCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = chirp::store::redis::testing::env("CHIRP_TEST_REDIS_URL");
    if (!url) GTEST_SKIP() << "CHIRP_TEST_REDIS_URL is not set";
    client_ = std::make_unique<RedisClient>(options_for(*url));
    prefix_ = unique_prefix();
  }
  void TearDown() override {
    if (!client_) return;
    // Leave nothing behind on a shared server.
    std::string cursor = "0";
    do {
      auto reply = client_->command(
          {"SCAN", cursor, "MATCH", "chirp:tl:{" + prefix_ + "*", "COUNT", "1000"});
      cursor = reply.elements[0].text;
      for (const auto& key : reply.elements[1].elements) client_->command({"DEL", key.text});
    } while (cursor != "0");
  }

  // A list key unique to this test, so tests may share a server.
  std::string key(const std::string& name) const { return prefix_ + name; }
  RedisTimelineCache make_cache(std::size_t capacity,
                                std::chrono::seconds idle_expiry = std::chrono::hours(24 * 7)) {
    return RedisTimelineCache(*client_, capacity, idle_expiry);
  }
  std::int64_t ttl(const std::string& redis_key) {
    return client_->command({"TTL", redis_key}).integer;
  }

  std::unique_ptr<RedisClient> client_;
  std::string prefix_;
};

void fill(RedisTimelineCache& cache, const std::string& key, const std::vector<TimelineItem>& items,
          bool complete) {
  cache.fill(key, items, complete, cache.fill_ticket(key));
}

CachedRange cached_range(RedisTimelineCache& cache, const std::string& key, const TimeRange& r) {
  auto answer = cache.range(key, r);
  EXPECT_TRUE(answer.has_value()) << key << " is not cached";
  return answer.value_or(CachedRange{});
}

}  // namespace

TEST_F(RedisTimelineCacheTest, UncachedKeyIsAMiss) {
  auto cache = make_cache(10);
  EXPECT_EQ(cache.capacity(), 10u);
  EXPECT_EQ(cache.range(key("feed:1"), newest(5)), std::nullopt);
  EXPECT_EQ(cache.misses(), 1);
  EXPECT_EQ(cache.hits(), 0);
  EXPECT_EQ(cache.errors(), 0);
}

TEST_F(RedisTimelineCacheTest, RangesOfACompleteList) {
  auto cache = make_cache(10);
  auto k = key("tweets:1");
  fill(cache, k, newest_first(8), true);

  auto page = cached_range(cache, k, newest(3));
  EXPECT_EQ(ids(page.items), (Ids{8, 7, 6}));
  EXPECT_EQ(page.items[0].created_at, 80);
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(cache.hits(), 1);

  EXPECT_EQ(ids(cached_range(cache, k, before(60, 3)).items), (Ids{5, 4, 3}));
  EXPECT_EQ(ids(cached_range(cache, k, before(65, 2)).items), (Ids{6, 5}));
  EXPECT_EQ(ids(cached_range(cache, k, after(30, 2)).items), (Ids{8, 7}));
  EXPECT_EQ(ids(cached_range(cache, k, after(60, 5)).items), (Ids{8, 7}));
  EXPECT_TRUE(cached_range(cache, k, after(80, 5)).items.empty());
  EXPECT_TRUE(cached_range(cache, k, newest(0)).items.empty());

  auto tail = cached_range(cache, k, before(30, 5));
  EXPECT_EQ(ids(tail.items), (Ids{2, 1}));
  EXPECT_FALSE(tail.truncated);
  EXPECT_EQ(ids(cached_range(cache, k, newest(100)).items), (Ids{8, 7, 6, 5, 4, 3, 2, 1}));
}

// A feed and the lists merged into it: one pipeline, each answer as range() gives it (a miss and a
// truncated incomplete list included), also after Redis lost its script cache.
TEST_F(RedisTimelineCacheTest, RangeManyAnswersEachListInOneRoundTrip) {
  auto cache = make_cache(3);
  auto complete = key("feed:1"), uncached = key("tweets:2"), incomplete = key("tweets:3");
  fill(cache, complete, newest_first(2), true);
  fill(cache, incomplete, newest_first(5), false);  // keeps 5, 4, 3
  EXPECT_EQ(client_->command({"SCRIPT", "FLUSH"}).text, "OK");
  auto round_trips = client_->counters().round_trips;

  auto answers = cache.range_many({complete, uncached, incomplete}, newest(4));
  ASSERT_EQ(answers.size(), 3u);
  ASSERT_TRUE(answers[0]);
  EXPECT_EQ(ids(answers[0]->items), (Ids{2, 1}));
  EXPECT_FALSE(answers[0]->truncated);
  EXPECT_EQ(answers[1], std::nullopt);
  ASSERT_TRUE(answers[2]);
  EXPECT_EQ(ids(answers[2]->items), (Ids{5, 4, 3}));
  EXPECT_TRUE(answers[2]->truncated);
  // One pipeline, plus one more for the scripts Redis had forgotten.
  EXPECT_EQ(client_->counters().round_trips, round_trips + 2);

  round_trips = client_->counters().round_trips;
  answers = cache.range_many({incomplete, complete}, before(50, 2));
  EXPECT_EQ(client_->counters().round_trips, round_trips + 1);
  EXPECT_EQ(ids(answers[0]->items), (Ids{4, 3}));
  EXPECT_FALSE(answers[0]->truncated);
  EXPECT_EQ(ids(answers[1]->items), (Ids{2, 1}));
  EXPECT_TRUE(cache.range_many({}, newest(4)).empty());
  EXPECT_EQ(cache.errors(), 0);
}

TEST_F(RedisTimelineCacheTest, EqualTimesAreOrderedByIdDescending) {
  auto cache = make_cache(10);
  auto k = key("followers:1");
  fill(cache, k, {{5, 100}, {9, 100}, {7, 50}}, true);  // not in order
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{9, 5, 7}));
  cache.add(k, {6, 100});
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{9, 6, 5, 7}));
}

TEST_F(RedisTimelineCacheTest, EqualTimesCompareIdsAsNumbersNotStrings) {
  // Redis orders equal scores by member bytes ("10" < "9"); the list orders them by id.
  auto cache = make_cache(4);
  auto k = key("followers:2");
  fill(cache, k, {{9, 100}, {10, 100}, {100, 100}, {8, 50}}, true);
  EXPECT_EQ(ids(cached_range(cache, k, newest(1)).items), (Ids{100}));
  EXPECT_EQ(ids(cached_range(cache, k, newest(2)).items), (Ids{100, 10}));
  EXPECT_EQ(ids(cached_range(cache, k, after(50, 2)).items), (Ids{100, 10}));
  EXPECT_EQ(ids(cached_range(cache, k, before(101, 3)).items), (Ids{100, 10, 9}));
  // Trimming past capacity drops the oldest: time 50, then the smallest id at time 100.
  cache.add(k, {11, 100});
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{100, 11, 10, 9}));
  cache.add(k, {12, 100});
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{100, 12, 11, 10}));
  // Incomplete now: an item tied with the oldest but with a smaller id is older than all.
  cache.add(k, {2, 100});
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{100, 12, 11, 10}));
}

TEST_F(RedisTimelineCacheTest, BigTimesAndIdsAreExact) {
  auto cache = make_cache(10);
  auto k = key("feed:big");
  const chirp::Micros t = (std::int64_t{1} << 53) - 1;  // the largest exact double
  const std::int64_t big_id = (std::int64_t{1} << 62) + 1;
  fill(cache, k, {{big_id, t}, {3, t - 1}, {2, t - 2}}, true);
  auto page = cached_range(cache, k, newest(10));
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0], (TimelineItem{big_id, t}));
  EXPECT_EQ(page.items[1], (TimelineItem{3, t - 1}));
  EXPECT_EQ(ids(cached_range(cache, k, before(t, 10)).items), (Ids{3, 2}));
  EXPECT_EQ(ids(cached_range(cache, k, after(t - 2, 10)).items), (Ids{big_id, 3}));
  EXPECT_EQ(ids(cached_range(cache, k, after(t - 1, 10)).items), (Ids{big_id}));

  // Today's times (~1.8e15 µs) differ by 1 µs.
  auto now = cache.fill_ticket(k);  // any large number will do; a ticket is the server's µs clock
  EXPECT_GT(now, 1'600'000'000'000'000u);
  auto k2 = key("feed:now");
  auto base = static_cast<chirp::Micros>(now);
  fill(cache, k2, {{3, base + 2}, {2, base + 1}, {1, base}}, true);
  EXPECT_EQ(ids(cached_range(cache, k2, before(base + 2, 10)).items), (Ids{2, 1}));
  EXPECT_EQ(ids(cached_range(cache, k2, after(base, 10)).items), (Ids{3, 2}));
}

TEST_F(RedisTimelineCacheTest, EmptyTimelineIsCachedAsEmpty) {
  auto cache = make_cache(10);
  fill(cache, key("feed:3"), {}, true);
  auto page = cache.range(key("feed:3"), newest(20));
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->truncated);
  cache.add(key("feed:3"), {1, 10});  // the set is created with the list's expiry
  EXPECT_EQ(ids(cached_range(cache, key("feed:3"), newest(20)).items), (Ids{1}));
  EXPECT_GT(ttl("chirp:tl:{" + key("feed:3") + "}"), 0);
}

TEST_F(RedisTimelineCacheTest, TruncatedOnlyWhenAnIncompleteListRunsOutBeforeTheLimit) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  auto all = newest_first(20);
  fill(cache, k, {all.begin(), all.begin() + 5}, false);

  auto full_page = cached_range(cache, k, newest(5));
  EXPECT_EQ(ids(full_page.items), (Ids{20, 19, 18, 17, 16}));
  EXPECT_FALSE(full_page.truncated);

  auto past_the_end = cached_range(cache, k, newest(6));
  EXPECT_EQ(ids(past_the_end.items), (Ids{20, 19, 18, 17, 16}));
  EXPECT_TRUE(past_the_end.truncated);

  EXPECT_FALSE(cached_range(cache, k, before(190, 3)).truncated);
  auto older_page = cached_range(cache, k, before(180, 3));
  EXPECT_EQ(ids(older_page.items), (Ids{17, 16}));
  EXPECT_TRUE(older_page.truncated);
  auto beyond = cached_range(cache, k, before(100, 3));
  EXPECT_TRUE(beyond.items.empty());
  EXPECT_TRUE(beyond.truncated);

  EXPECT_FALSE(cached_range(cache, k, after(160, 10)).truncated);
  EXPECT_FALSE(cached_range(cache, k, after(170, 10)).truncated);
  auto reaching_below = cached_range(cache, k, after(150, 10));
  EXPECT_EQ(ids(reaching_below.items), (Ids{20, 19, 18, 17, 16}));
  EXPECT_TRUE(reaching_below.truncated);
  EXPECT_FALSE(cached_range(cache, k, after(100, 5)).truncated);

  // An incomplete list emptied by removals cannot tell what the store holds.
  for (int id = 16; id <= 20; ++id) cache.remove(k, id);
  auto emptied = cached_range(cache, k, after(100, 5));
  EXPECT_TRUE(emptied.items.empty());
  EXPECT_TRUE(emptied.truncated);
}

TEST_F(RedisTimelineCacheTest, FillKeepsTheNewestCapacityItemsAsIncomplete) {
  auto cache = make_cache(3);
  fill(cache, key("tweets:2"), newest_first(5), true);
  auto page = cached_range(cache, key("tweets:2"), newest(10));
  EXPECT_EQ(ids(page.items), (Ids{5, 4, 3}));
  EXPECT_TRUE(page.truncated);
}

TEST_F(RedisTimelineCacheTest, FillReplacesACachedList) {
  auto cache = make_cache(10);
  auto k = key("tweets:3");
  fill(cache, k, newest_first(5), true);
  fill(cache, k, {{7, 70}}, false);
  auto page = cached_range(cache, k, newest(10));
  EXPECT_EQ(ids(page.items), (Ids{7}));
  EXPECT_TRUE(page.truncated);
}

TEST_F(RedisTimelineCacheTest, FillIsIgnoredWhenTheListChangedAfterTheTicket) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  auto ticket = cache.fill_ticket(k);
  cache.add(k, {9, 90});
  cache.fill(k, newest_first(3), true, ticket);
  EXPECT_EQ(cache.range(k, newest(10)), std::nullopt);

  ticket = cache.fill_ticket(k);
  cache.remove(k, 2);
  cache.fill(k, newest_first(3), true, ticket);
  EXPECT_EQ(cache.range(k, newest(10)), std::nullopt);

  ticket = cache.fill_ticket(k);
  cache.invalidate(k);
  cache.fill(k, newest_first(3), true, ticket);
  EXPECT_EQ(cache.range(k, newest(10)), std::nullopt);

  auto stale = cache.fill_ticket(k);
  ticket = cache.fill_ticket(k);
  cache.fill(k, newest_first(3), true, ticket);
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{3, 2, 1}));
  cache.add(k, {4, 40});
  cache.fill(k, newest_first(2), true, stale);
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{4, 3, 2, 1}));

  // A ticket whose generation key is gone (expired, flushed) never fills.
  auto lost = cache.fill_ticket(k);
  client_->command({"DEL", "chirp:tl:{" + k + "}:gen"});
  cache.fill(k, newest_first(1), true, lost);
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{4, 3, 2, 1}));
  cache.fill(k, newest_first(1), true, 0);  // what fill_ticket answers while Redis is down
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{4, 3, 2, 1}));
}

TEST_F(RedisTimelineCacheTest, FillRacingWithConcurrentAddsNeverHidesAnAdd) {
  // Writers add to the store then the cache; a filler takes a ticket, reads the store and fills.
  // The writer and the filler use separate clients, as two server processes would.
  auto cache = make_cache(1000);
  RedisClient other_client(options_for(*chirp::store::redis::testing::env("CHIRP_TEST_REDIS_URL")));
  RedisTimelineCache filler_cache(other_client, 1000);
  auto k = key("feed:7");
  std::mutex store_mutex;
  std::vector<TimelineItem> store;  // oldest first
  std::atomic<bool> writing{true};
  std::atomic<int> fills{0};
  std::thread writer([&] {
    for (int id = 1; id <= 300; ++id) {
      {
        std::lock_guard lock(store_mutex);
        store.push_back({id, id});
      }
      cache.add(k, {id, id});
      if (id % 50 == 25) cache.invalidate(k);
      std::this_thread::sleep_for(20us);
    }
    writing = false;
  });
  std::thread filler([&] {
    while (true) {
      if (filler_cache.range(k, newest(1))) {
        if (!writing) break;
        std::this_thread::yield();
        continue;
      }
      auto ticket = filler_cache.fill_ticket(k);
      std::vector<TimelineItem> snapshot;
      {
        std::lock_guard lock(store_mutex);
        snapshot.assign(store.rbegin(), store.rend());
      }
      std::this_thread::sleep_for(50us);
      filler_cache.fill(k, snapshot, true, ticket);
      ++fills;
    }
  });
  writer.join();
  filler.join();
  auto page = cache.range(k, newest(1000));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->items.size(), 300u);
  EXPECT_TRUE(std::is_sorted(page->items.begin(), page->items.end(),
                             [](auto& a, auto& b) { return a.created_at > b.created_at; }));
  EXPECT_GE(fills.load(), 2);
}

TEST_F(RedisTimelineCacheTest, AddToAnUncachedListKeepsItUncached) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  cache.add(k, {1, 10});
  EXPECT_EQ(cache.range(k, newest(10)), std::nullopt);
  // Fan-out to a list nobody reads leaves no key behind.
  EXPECT_EQ(client_
                ->command({"EXISTS", "chirp:tl:{" + k + "}", "chirp:tl:{" + k + "}:meta",
                           "chirp:tl:{" + k + "}:gen"})
                .integer,
            0);
}

// A fan-out batch: one pipeline adds to every cached list of the batch and leaves the uncached ones
// uncached, also after Redis lost its script cache.
TEST_F(RedisTimelineCacheTest, AddToEachAddsToTheCachedListsOnly) {
  auto cache = make_cache(10);
  auto a = key("feed:1"), b = key("feed:2"), uncached = key("feed:3");
  fill(cache, a, newest_first(2), true);
  fill(cache, b, {}, true);
  EXPECT_EQ(client_->command({"SCRIPT", "FLUSH"}).text, "OK");
  cache.add_to_each({a, uncached, b}, {7, 70});
  EXPECT_EQ(ids(cached_range(cache, a, newest(10)).items), (Ids{7, 2, 1}));
  EXPECT_EQ(ids(cached_range(cache, b, newest(10)).items), (Ids{7}));
  EXPECT_EQ(cache.range(uncached, newest(10)), std::nullopt);
  EXPECT_FALSE(client_->dirty());
}

TEST_F(RedisTimelineCacheTest, AddIsIdempotentById) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  fill(cache, k, newest_first(2), true);
  cache.add(k, {3, 30});
  cache.add(k, {3, 30});
  cache.add(k, {2, 20});
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{3, 2, 1}));

  auto ticket = cache.fill_ticket(k);
  cache.add(k, {3, 30});
  cache.fill(k, newest_first(5), true, ticket);
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{5, 4, 3, 2, 1}));
}

TEST_F(RedisTimelineCacheTest, AddKeepsOrderInACompleteList) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  fill(cache, k, {{30, 300}, {10, 100}}, true);
  cache.add(k, {20, 200});
  cache.add(k, {5, 50});
  cache.add(k, {40, 400});
  auto page = cached_range(cache, k, newest(10));
  EXPECT_EQ(ids(page.items), (Ids{40, 30, 20, 10, 5}));
  EXPECT_FALSE(page.truncated);
}

TEST_F(RedisTimelineCacheTest, AddOfAnItemOlderThanAnIncompleteListIsIgnored) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  fill(cache, k, {{30, 300}, {20, 200}}, false);
  cache.add(k, {5, 50});
  cache.add(k, {25, 250});
  auto page = cached_range(cache, k, newest(10));
  EXPECT_EQ(ids(page.items), (Ids{30, 25, 20}));
  EXPECT_TRUE(page.truncated);

  auto k2 = key("feed:2");  // an incomplete list with nothing left: nothing can be placed
  fill(cache, k2, {}, false);
  cache.add(k2, {1, 10});
  EXPECT_TRUE(cached_range(cache, k2, newest(10)).items.empty());
}

TEST_F(RedisTimelineCacheTest, AddBeyondCapacityDropsTheOldestAndMarksIncomplete) {
  auto cache = make_cache(3);
  auto k = key("tweets:1");
  fill(cache, k, newest_first(3), true);
  EXPECT_FALSE(cached_range(cache, k, newest(10)).truncated);
  cache.add(k, {4, 40});
  auto page = cached_range(cache, k, newest(10));
  EXPECT_EQ(ids(page.items), (Ids{4, 3, 2}));
  EXPECT_TRUE(page.truncated);
  cache.add(k, {1, 10});
  EXPECT_EQ(ids(cached_range(cache, k, newest(10)).items), (Ids{4, 3, 2}));
}

TEST_F(RedisTimelineCacheTest, RemoveKeepsACompleteListComplete) {
  auto cache = make_cache(10);
  auto k = key("tweets:1");
  fill(cache, k, newest_first(3), true);
  cache.remove(k, 2);
  cache.remove(k, 99);
  auto page = cached_range(cache, k, newest(10));
  EXPECT_EQ(ids(page.items), (Ids{3, 1}));
  EXPECT_FALSE(page.truncated);
  cache.remove(key("tweets:5"), 1);
  EXPECT_EQ(cache.range(key("tweets:5"), newest(10)), std::nullopt);

  cache.remove(k, 3);
  cache.remove(k, 1);  // the last item: the list stays cached, as empty
  auto empty = cached_range(cache, k, newest(10));
  EXPECT_TRUE(empty.items.empty());
  EXPECT_FALSE(empty.truncated);
}

TEST_F(RedisTimelineCacheTest, InvalidateDropsTheList) {
  auto cache = make_cache(10);
  fill(cache, key("tweets:1"), newest_first(3), true);
  fill(cache, key("tweets:2"), newest_first(3), true);
  cache.invalidate(key("tweets:1"));
  EXPECT_EQ(cache.range(key("tweets:1"), newest(10)), std::nullopt);
  EXPECT_TRUE(cache.range(key("tweets:2"), newest(10)).has_value());
}

TEST_F(RedisTimelineCacheTest, ASetEvictedWithoutItsMetaKeyIsAMissNotAnEmptyList) {
  auto cache = make_cache(10);
  auto k = key("feed:1");
  fill(cache, k, newest_first(3), true);
  cache.add(k, {4, 40});
  cache.remove(k, 1);
  EXPECT_EQ(client_->command({"GET", "chirp:tl:{" + k + "}:meta"}).text, "1:3");
  client_->command({"DEL", "chirp:tl:{" + k + "}"});  // what maxmemory eviction may do
  EXPECT_EQ(cache.range(k, newest(10)), std::nullopt);
  EXPECT_EQ(client_->command({"EXISTS", "chirp:tl:{" + k + "}:meta"}).integer, 0);
}

TEST_F(RedisTimelineCacheTest, ListsExpireWhenNotReadAndReadsKeepThemAlive) {
  auto cache = make_cache(10, std::chrono::seconds(100));
  auto k = key("feed:1");
  std::string list = "chirp:tl:{" + k + "}";
  fill(cache, k, newest_first(3), true);
  EXPECT_GT(ttl(list), 90);
  EXPECT_LE(ttl(list), 100);
  EXPECT_GT(ttl(list + ":meta"), 90);
  EXPECT_GT(ttl(list + ":gen"), 0);
  EXPECT_LE(ttl(list + ":gen"), RedisTimelineCache::kTicketLifetime.count());

  client_->command({"EXPIRE", list, "5"});
  client_->command({"EXPIRE", list + ":meta", "5"});
  cache.add(k, {4, 40});  // fan-out is no read
  EXPECT_LE(ttl(list + ":meta"), 5);
  cache.range(k, newest(1));
  EXPECT_GT(ttl(list), 90);
  EXPECT_GT(ttl(list + ":meta"), 90);

  auto short_lived = make_cache(10, std::chrono::seconds(1));
  auto k2 = key("feed:2");
  fill(short_lived, k2, newest_first(3), true);
  EXPECT_TRUE(short_lived.range(k2, newest(1)).has_value());
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(short_lived.range(k2, newest(1)), std::nullopt);
}

TEST_F(RedisTimelineCacheTest, ConcurrentAddsToOneListLoseNothing) {
  auto cache = make_cache(10000);
  auto k = key("feed:1");
  fill(cache, k, {}, true);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::int64_t id = t * 500 + i + 1;
        cache.add(k, {id, id * 3});
        cache.add(k, {id, id * 3});
        cache.range(k, newest(20));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto page = cached_range(cache, k, newest(10000));
  ASSERT_EQ(page.items.size(), 4000u);
  EXPECT_FALSE(page.truncated);
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    EXPECT_EQ(page.items[i].id, static_cast<std::int64_t>(4000 - i));
  }
  EXPECT_LE(client_->pool_stats().open, 8u);
  EXPECT_EQ(cache.errors(), 0);
}

TEST_F(RedisTimelineCacheTest, ConcurrentAddsBeyondCapacityKeepTheNewest) {
  auto cache = make_cache(100);
  auto k = key("feed:1");
  fill(cache, k, {}, true);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::int64_t id = i * 8 + t + 1;  // interleaved: ids 1..400
        cache.add(k, {id, id});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto page = cached_range(cache, k, newest(1000));
  ASSERT_EQ(page.items.size(), 100u);
  EXPECT_TRUE(page.truncated);
  // Items arrive out of order; whichever arrived after the list filled up and was older than
  // everything cached stayed out, so the list is the newest contiguous run up to 400.
  EXPECT_EQ(page.items.front().id, 400);
  EXPECT_EQ(page.items.back().id, 301);
}
