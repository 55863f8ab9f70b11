#include "domain/cache_batch.hpp"

#include <gtest/gtest.h>

#include "domain/tweet_author_hints.hpp"
#include "store/cache/local_object_cache.hpp"

using namespace chirp::domain;

namespace {

struct CountingCache : ObjectCache {
  chirp::store::cache::LocalObjectCache inner;
  std::vector<std::vector<std::string>> reads;
  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override {
    reads.push_back(keys);
    return inner.get_many(keys);
  }
  void set(std::string_view k, std::string_view v) override { inner.set(k, v); }
  void add(std::string_view k, std::string_view v) override { inner.add(k, v); }
  void erase(std::string_view k) override { inner.erase(k); }
};

}  // namespace

TEST(CacheBatch, OneReadForEveryKeyWantedEachKeyOnce) {
  CountingCache cache;
  cache.set("a", "1");
  cache.set("c", "3");
  CacheBatch batch;
  batch.want("a");
  batch.want("b");
  batch.want("a");
  batch.want("c");
  EXPECT_EQ(batch.find("a"), nullptr);  // not fetched yet
  batch.fetch(cache);
  ASSERT_EQ(cache.reads.size(), 1u);
  EXPECT_EQ(cache.reads[0], (std::vector<std::string>{"a", "b", "c"}));

  ASSERT_NE(batch.find("a"), nullptr);
  EXPECT_EQ(*batch.find("a"), "1");
  ASSERT_NE(batch.find("b"), nullptr);
  EXPECT_FALSE(batch.find("b")->has_value());  // fetched, and a miss
  EXPECT_EQ(*batch.find("c"), "3");
  EXPECT_EQ(batch.find("d"), nullptr);  // never wanted: its reader asks the cache itself
}

TEST(CacheBatch, ALaterFetchReadsOnlyTheNewKeys) {
  CountingCache cache;
  CacheBatch batch;
  batch.fetch(cache);
  EXPECT_TRUE(cache.reads.empty());  // nothing wanted: no round trip
  batch.want("a");
  batch.fetch(cache);
  batch.fetch(cache);
  cache.set("b", "2");
  batch.want("a");
  batch.want("b");
  batch.fetch(cache);
  ASSERT_EQ(cache.reads.size(), 2u);
  EXPECT_EQ(cache.reads[1], (std::vector<std::string>{"b"}));
  EXPECT_FALSE(batch.find("a")->has_value());
  EXPECT_EQ(*batch.find("b"), "2");
}

TEST(TweetAuthorHints, RemembersTheLastTweetOfEachSlot) {
  TweetAuthorHints hints(4);
  EXPECT_FALSE(hints.find(1));
  hints.remember(1, 10);
  hints.remember(2, 20);
  EXPECT_EQ(hints.find(1), 10);
  EXPECT_EQ(hints.find(2), 20);
  hints.remember(5, 50);  // the same slot as tweet 1 (4 slots)
  EXPECT_EQ(hints.find(5), 50);
  EXPECT_FALSE(hints.find(1));
  hints.remember(0, 1);
  hints.remember(-4, 1);
  EXPECT_FALSE(hints.find(0));
  EXPECT_FALSE(hints.find(-4));
}
