#include "store/cache/local_timeline_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using chirp::domain::CachedRange;
using chirp::domain::TimelineItem;
using chirp::domain::TimeRange;
using chirp::store::cache::kCacheShards;
using chirp::store::cache::LocalTimelineCache;
using chirp::store::cache::shard_of;

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

void fill(LocalTimelineCache& cache, const std::string& key, const std::vector<TimelineItem>& items,
          bool complete) {
  cache.fill(key, items, complete, cache.fill_ticket(key));
}

CachedRange cached_range(LocalTimelineCache& cache, const std::string& key, const TimeRange& r) {
  auto answer = cache.range(key, r);
  EXPECT_TRUE(answer.has_value()) << key << " is not cached";
  return answer.value_or(CachedRange{});
}

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST(LocalTimelineCache, UncachedKeyIsAMiss) {
  LocalTimelineCache cache(10);
  EXPECT_EQ(cache.capacity(), 10u);
  EXPECT_EQ(cache.range("feed:1", newest(5)), std::nullopt);
  EXPECT_EQ(cache.misses(), 1);
  EXPECT_EQ(cache.hits(), 0);
}

TEST(LocalTimelineCache, RangesOfACompleteList) {
  LocalTimelineCache cache(10);
  fill(cache, "tweets:1", newest_first(8), true);

  auto page = cached_range(cache, "tweets:1", newest(3));
  EXPECT_EQ(ids(page.items), (Ids{8, 7, 6}));
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(cache.hits(), 1);

  // before is strictly older; after is strictly newer and answers the newest `limit` of those.
  EXPECT_EQ(ids(cached_range(cache, "tweets:1", before(60, 3)).items), (Ids{5, 4, 3}));
  EXPECT_EQ(ids(cached_range(cache, "tweets:1", before(65, 2)).items), (Ids{6, 5}));
  EXPECT_EQ(ids(cached_range(cache, "tweets:1", after(30, 2)).items), (Ids{8, 7}));
  EXPECT_EQ(ids(cached_range(cache, "tweets:1", after(60, 5)).items), (Ids{8, 7}));
  EXPECT_TRUE(cached_range(cache, "tweets:1", after(80, 5)).items.empty());

  // Running past the end of a complete list is the real end, not truncation.
  auto tail = cached_range(cache, "tweets:1", before(30, 5));
  EXPECT_EQ(ids(tail.items), (Ids{2, 1}));
  EXPECT_FALSE(tail.truncated);
  EXPECT_EQ(ids(cached_range(cache, "tweets:1", newest(100)).items), (Ids{8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(LocalTimelineCache, EqualTimesAreOrderedByIdDescending) {
  LocalTimelineCache cache(10);
  fill(cache, "followers:1", {{5, 100}, {9, 100}, {7, 50}}, true);  // not in order
  EXPECT_EQ(ids(cached_range(cache, "followers:1", newest(10)).items), (Ids{9, 5, 7}));
  cache.add("followers:1", {6, 100});
  EXPECT_EQ(ids(cached_range(cache, "followers:1", newest(10)).items), (Ids{9, 6, 5, 7}));
}

TEST(LocalTimelineCache, EmptyTimelineIsCachedAsEmpty) {
  LocalTimelineCache cache(10);
  fill(cache, "feed:3", {}, true);
  auto page = cache.range("feed:3", newest(20));
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->items.empty());
  EXPECT_FALSE(page->truncated);
}

TEST(LocalTimelineCache, TruncatedOnlyWhenAnIncompleteListRunsOutBeforeTheLimit) {
  LocalTimelineCache cache(10);
  // The newest 5 (ids 16..20, times 160..200) of a longer timeline.
  auto all = newest_first(20);
  fill(cache, "feed:1", {all.begin(), all.begin() + 5}, false);

  auto full_page = cached_range(cache, "feed:1", newest(5));
  EXPECT_EQ(ids(full_page.items), (Ids{20, 19, 18, 17, 16}));
  EXPECT_FALSE(full_page.truncated);

  auto past_the_end = cached_range(cache, "feed:1", newest(6));
  EXPECT_EQ(ids(past_the_end.items), (Ids{20, 19, 18, 17, 16}));
  EXPECT_TRUE(past_the_end.truncated);

  EXPECT_FALSE(cached_range(cache, "feed:1", before(190, 3)).truncated);
  auto older_page = cached_range(cache, "feed:1", before(180, 3));
  EXPECT_EQ(ids(older_page.items), (Ids{17, 16}));
  EXPECT_TRUE(older_page.truncated);
  auto beyond = cached_range(cache, "feed:1", before(100, 3));
  EXPECT_TRUE(beyond.items.empty());
  EXPECT_TRUE(beyond.truncated);

  // after: exact when its bound lies at or above the oldest cached item, else items between the
  // bound and the cache may be missing.
  EXPECT_FALSE(cached_range(cache, "feed:1", after(160, 10)).truncated);
  EXPECT_FALSE(cached_range(cache, "feed:1", after(170, 10)).truncated);
  auto reaching_below = cached_range(cache, "feed:1", after(150, 10));
  EXPECT_EQ(ids(reaching_below.items), (Ids{20, 19, 18, 17, 16}));
  EXPECT_TRUE(reaching_below.truncated);
  EXPECT_FALSE(cached_range(cache, "feed:1", after(100, 5)).truncated);
}

TEST(LocalTimelineCache, FillKeepsTheNewestCapacityItemsAsIncomplete) {
  LocalTimelineCache cache(3);
  fill(cache, "tweets:2", newest_first(5), true);
  auto page = cached_range(cache, "tweets:2", newest(10));
  EXPECT_EQ(ids(page.items), (Ids{5, 4, 3}));
  EXPECT_TRUE(page.truncated);
}

TEST(LocalTimelineCache, FillIsIgnoredWhenTheListChangedAfterTheTicket) {
  LocalTimelineCache cache(10);
  auto ticket = cache.fill_ticket("feed:1");
  cache.add("feed:1", {9, 90});  // a write landed while the filler read the store
  cache.fill("feed:1", newest_first(3), true, ticket);
  EXPECT_EQ(cache.range("feed:1", newest(10)), std::nullopt);

  ticket = cache.fill_ticket("feed:1");
  cache.remove("feed:1", 2);
  cache.fill("feed:1", newest_first(3), true, ticket);
  EXPECT_EQ(cache.range("feed:1", newest(10)), std::nullopt);

  ticket = cache.fill_ticket("feed:1");
  cache.invalidate("feed:1");
  cache.fill("feed:1", newest_first(3), true, ticket);
  EXPECT_EQ(cache.range("feed:1", newest(10)), std::nullopt);

  // An unchanged ticket fills; a later change does not resurrect an earlier ticket.
  auto stale = cache.fill_ticket("feed:1");
  ticket = cache.fill_ticket("feed:1");
  cache.fill("feed:1", newest_first(3), true, ticket);
  EXPECT_EQ(ids(cached_range(cache, "feed:1", newest(10)).items), (Ids{3, 2, 1}));
  cache.add("feed:1", {4, 40});
  cache.fill("feed:1", newest_first(2), true, stale);
  EXPECT_EQ(ids(cached_range(cache, "feed:1", newest(10)).items), (Ids{4, 3, 2, 1}));
}

TEST(LocalTimelineCache, FillRacingWithConcurrentAddsNeverHidesAnAdd) {
  // Writers add to the store then the cache; a filler takes a ticket, reads the store and fills.
  // Whatever the interleaving, every added item must be visible once the list is cached.
  LocalTimelineCache cache(1000);
  std::mutex store_mutex;
  std::vector<TimelineItem> store;  // oldest first
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int id = 1; id <= 300; ++id) {
      {
        std::lock_guard lock(store_mutex);
        store.push_back({id, id});
      }
      cache.add("feed:7", {id, id});
      if (id % 50 == 25) cache.invalidate("feed:7");
      std::this_thread::sleep_for(20us);
    }
    writing = false;
  });
  std::thread filler([&] {
    // Keeps the list cached until the writer is done; a stale fill would stick for good.
    while (true) {
      if (cache.range("feed:7", newest(1))) {
        if (!writing) break;
        std::this_thread::yield();
        continue;
      }
      auto ticket = cache.fill_ticket("feed:7");
      std::vector<TimelineItem> snapshot;
      {
        std::lock_guard lock(store_mutex);
        snapshot.assign(store.rbegin(), store.rend());
      }
      std::this_thread::sleep_for(50us);  // the store's answer takes a while to arrive
      cache.fill("feed:7", snapshot, true, ticket);
    }
  });
  writer.join();
  filler.join();
  auto page = cache.range("feed:7", newest(1000));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->items.size(), 300u);
  EXPECT_TRUE(std::is_sorted(page->items.begin(), page->items.end(),
                             [](auto& a, auto& b) { return a.created_at > b.created_at; }));
}

TEST(LocalTimelineCache, AddToAnUncachedListKeepsItUncached) {
  LocalTimelineCache cache(10);
  cache.add("feed:1", {1, 10});
  EXPECT_EQ(cache.range("feed:1", newest(10)), std::nullopt);
}

TEST(LocalTimelineCache, AddIsIdempotentById) {
  LocalTimelineCache cache(10);
  fill(cache, "feed:1", newest_first(2), true);
  cache.add("feed:1", {3, 30});
  cache.add("feed:1", {3, 30});
  cache.add("feed:1", {2, 20});
  EXPECT_EQ(ids(cached_range(cache, "feed:1", newest(10)).items), (Ids{3, 2, 1}));

  // A repeated add is no change, so a fill started before it still counts.
  auto ticket = cache.fill_ticket("feed:1");
  cache.add("feed:1", {3, 30});
  cache.fill("feed:1", newest_first(5), true, ticket);
  EXPECT_EQ(ids(cached_range(cache, "feed:1", newest(10)).items), (Ids{5, 4, 3, 2, 1}));
}

TEST(LocalTimelineCache, AddKeepsOrderInACompleteList) {
  LocalTimelineCache cache(10);
  fill(cache, "feed:1", {{30, 300}, {10, 100}}, true);
  cache.add("feed:1", {20, 200});  // a late fan-out of an older tweet
  cache.add("feed:1", {5, 50});    // older than all: the list is complete, so it belongs there
  cache.add("feed:1", {40, 400});
  auto page = cached_range(cache, "feed:1", newest(10));
  EXPECT_EQ(ids(page.items), (Ids{40, 30, 20, 10, 5}));
  EXPECT_FALSE(page.truncated);
}

TEST(LocalTimelineCache, AddOfAnItemOlderThanAnIncompleteListIsIgnored) {
  LocalTimelineCache cache(10);
  fill(cache, "feed:1", {{30, 300}, {20, 200}}, false);
  cache.add("feed:1", {5, 50});    // the store holds it, past items the cache does not have
  cache.add("feed:1", {25, 250});  // inside the cached span: kept
  auto page = cached_range(cache, "feed:1", newest(10));
  EXPECT_EQ(ids(page.items), (Ids{30, 25, 20}));
  EXPECT_TRUE(page.truncated);
}

TEST(LocalTimelineCache, AddBeyondCapacityDropsTheOldestAndMarksIncomplete) {
  LocalTimelineCache cache(3);
  fill(cache, "tweets:1", newest_first(3), true);
  EXPECT_FALSE(cached_range(cache, "tweets:1", newest(10)).truncated);
  cache.add("tweets:1", {4, 40});
  auto page = cached_range(cache, "tweets:1", newest(10));
  EXPECT_EQ(ids(page.items), (Ids{4, 3, 2}));
  EXPECT_TRUE(page.truncated);
  // Now incomplete: the dropped item cannot come back through add.
  cache.add("tweets:1", {1, 10});
  EXPECT_EQ(ids(cached_range(cache, "tweets:1", newest(10)).items), (Ids{4, 3, 2}));
}

TEST(LocalTimelineCache, RemoveKeepsACompleteListComplete) {
  LocalTimelineCache cache(10);
  fill(cache, "tweets:1", newest_first(3), true);
  cache.remove("tweets:1", 2);
  cache.remove("tweets:1", 99);
  auto page = cached_range(cache, "tweets:1", newest(10));
  EXPECT_EQ(ids(page.items), (Ids{3, 1}));
  EXPECT_FALSE(page.truncated);
  cache.remove("tweets:5", 1);  // uncached: nothing to do
  EXPECT_EQ(cache.range("tweets:5", newest(10)), std::nullopt);
}

TEST(LocalTimelineCache, InvalidateDropsTheList) {
  LocalTimelineCache cache(10);
  fill(cache, "tweets:1", newest_first(3), true);
  fill(cache, "tweets:2", newest_first(3), true);
  cache.invalidate("tweets:1");
  EXPECT_EQ(cache.range("tweets:1", newest(10)), std::nullopt);
  EXPECT_TRUE(cache.range("tweets:2", newest(10)).has_value());
  EXPECT_EQ(cache.list_count(), 1u);
}

TEST(LocalTimelineCache, EvictsTheLeastRecentlyReadListBeyondMaxLists) {
  LocalTimelineCache cache(10, 2 * kCacheShards);  // two lists per shard
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < 3; ++i) {
    std::string key = "feed:" + std::to_string(i);
    if (shard_of(key) == shard_of("feed:0")) keys.push_back(key);
  }
  fill(cache, keys[0], newest_first(1), true);
  fill(cache, keys[1], newest_first(1), true);
  cached_range(cache, keys[0], newest(1));  // keys[1] is now the least recently read
  cache.add(keys[1], {2, 20});              // fan-out does not count as a read
  fill(cache, keys[2], newest_first(1), true);
  EXPECT_TRUE(cache.range(keys[0], newest(1)).has_value());
  EXPECT_EQ(cache.range(keys[1], newest(1)), std::nullopt);
  EXPECT_TRUE(cache.range(keys[2], newest(1)).has_value());

  LocalTimelineCache small(10, 100);
  for (int i = 0; i < 1000; ++i) fill(small, "feed:" + std::to_string(i), {}, true);
  EXPECT_LE(small.list_count(), 100u + kCacheShards);
}

TEST(LocalTimelineCache, ConcurrentAddsToOneListLoseNothing) {
  LocalTimelineCache cache(10000);
  fill(cache, "feed:1", {}, true);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::int64_t id = t * 500 + i + 1;
        cache.add("feed:1", {id, id * 3});
        cache.add("feed:1", {id, id * 3});
        cache.range("feed:1", newest(20));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto page = cached_range(cache, "feed:1", newest(10000));
  ASSERT_EQ(page.items.size(), 4000u);
  EXPECT_FALSE(page.truncated);
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    EXPECT_EQ(page.items[i].id, static_cast<std::int64_t>(4000 - i));
  }
}
