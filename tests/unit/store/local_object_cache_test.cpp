#include "store/cache/local_object_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using chirp::store::cache::kCacheShards;
using chirp::store::cache::LocalObjectCache;
using chirp::store::cache::shard_of;

namespace {

// `count` distinct 8-byte keys that share one shard, so they compete for one shard's budget.
std::vector<std::string> keys_in_one_shard(std::size_t count) {
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < count; ++i) {
    std::string key = "key:" + std::to_string(1000 + i);
    if (shard_of(key) == shard_of("key:1000")) keys.push_back(key);
  }
  return keys;
}

std::optional<std::string> get(LocalObjectCache& cache, const std::string& key) {
  return cache.get_many({key}).at(0);
}

}  // namespace

TEST(LocalObjectCache, SetGetEraseAndCounters) {
  LocalObjectCache cache;
  cache.set("tweet:1", "one");
  cache.set("user:2", "two");
  auto values = cache.get_many({"tweet:1", "tweet:9", "user:2"});
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0], "one");
  EXPECT_EQ(values[1], std::nullopt);
  EXPECT_EQ(values[2], "two");
  EXPECT_EQ(cache.hits(), 2);
  EXPECT_EQ(cache.misses(), 1);

  cache.set("tweet:1", "uno");
  EXPECT_EQ(get(cache, "tweet:1"), "uno");
  cache.erase("tweet:1");
  cache.erase("never-set");
  EXPECT_EQ(get(cache, "tweet:1"), std::nullopt);
  EXPECT_EQ(get(cache, "user:2"), "two");
  EXPECT_EQ(cache.size_bytes(), std::string("user:2two").size() + LocalObjectCache::kEntryOverhead);
  EXPECT_TRUE(cache.get_many({}).empty());
}

TEST(LocalObjectCache, AddStoresOnlyWhenTheKeyIsEmpty) {
  LocalObjectCache cache;
  cache.add("k", "0");
  EXPECT_EQ(cache.get_many({"k"})[0], "0");
  cache.set("k", "1");
  cache.add("k", "0");
  EXPECT_EQ(cache.get_many({"k"})[0], "1");
  cache.erase("k");
  cache.add("k", "0");
  EXPECT_EQ(cache.get_many({"k"})[0], "0");
}

TEST(LocalObjectCache, EvictsLeastRecentlyUsedByBytes) {
  // An 8-byte key with a 32-byte value costs 40 + overhead; each shard's budget fits two of them.
  constexpr std::size_t kEntry = 40 + LocalObjectCache::kEntryOverhead;
  LocalObjectCache cache((2 * kEntry + 20) * kCacheShards);
  auto keys = keys_in_one_shard(3);
  std::string value(32, 'v');
  cache.set(keys[0], value);
  cache.set(keys[1], value);
  EXPECT_EQ(get(cache, keys[0]), value);  // now keys[1] is the least recently used
  cache.set(keys[2], value);
  EXPECT_EQ(get(cache, keys[0]), value);
  EXPECT_EQ(get(cache, keys[1]), std::nullopt);
  EXPECT_EQ(get(cache, keys[2]), value);
  EXPECT_EQ(cache.size_bytes(), 2 * kEntry);

  // Growing a value counts its new size: one entry bigger than half the budget pushes the other
  // out.
  const std::string big(kEntry + 30 - 8 - LocalObjectCache::kEntryOverhead, 'w');
  cache.set(keys[2], big);
  EXPECT_EQ(get(cache, keys[0]), std::nullopt);
  EXPECT_EQ(get(cache, keys[2]), big);
  EXPECT_EQ(cache.size_bytes(), kEntry + 30);
}

TEST(LocalObjectCache, ValueLargerThanShardBudgetIsNotCachedAndDropsTheOldOne) {
  LocalObjectCache cache((100 + LocalObjectCache::kEntryOverhead) * kCacheShards);
  cache.set("profile:1", "small");
  cache.set("profile:1", std::string(200, 'x'));
  EXPECT_EQ(get(cache, "profile:1"), std::nullopt);
  EXPECT_EQ(cache.size_bytes(), 0u);
}

TEST(LocalObjectCache, NeverHoldsMoreThanItsBudget) {
  const std::size_t budget = 4096 * 8;
  LocalObjectCache cache(budget);
  for (int i = 0; i < 5000; ++i) {
    cache.set("tweet:" + std::to_string(i), std::string(static_cast<std::size_t>(i % 50), 'x'));
    ASSERT_LE(cache.size_bytes(), budget);
  }
  EXPECT_GT(cache.size_bytes(), budget / 2);  // and it does use its budget
}

TEST(LocalObjectCache, ConcurrentUseFromEightThreads) {
  LocalObjectCache cache(64 * 1024);
  const int kThreads = 8;
  const int kRounds = 20000;
  std::atomic<int> wrong_values{0};
  std::atomic<std::int64_t> lookups{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        // Threads share keys; a key's value always names the key, so a torn or mixed-up entry
        // shows as a value that does not match.
        std::string key = "user:" + std::to_string((i * 7 + t) % 500);
        switch (i % 4) {
          case 0:
          case 1:
            cache.set(key, key + "|" + std::string(static_cast<std::size_t>(i % 64), 'p'));
            break;
          case 2: {
            std::vector<std::string> keys{key, "user:" + std::to_string(i % 500)};
            auto values = cache.get_many(keys);
            lookups += 2;
            for (std::size_t k = 0; k < keys.size(); ++k) {
              if (values[k] && values[k]->rfind(keys[k] + "|", 0) != 0) ++wrong_values;
            }
            break;
          }
          default:
            cache.erase(key);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong_values.load(), 0);
  EXPECT_EQ(cache.hits() + cache.misses(), lookups.load());
  EXPECT_LE(cache.size_bytes(), 64u * 1024u);
  cache.set("user:1", "after");
  EXPECT_EQ(get(cache, "user:1"), "after");
}
