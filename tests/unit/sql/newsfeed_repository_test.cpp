#include "store/sql/newsfeed_repository.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "social_test_support.hpp"
#include "sql_test_support.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = 1'800'000'000'000'000;

class NewsfeedRepositoryTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(NewsfeedRepositoryTest);

TEST_P(NewsfeedRepositoryTest, AddIsIdempotentAndListsNewestFirst) {
  SqlNewsfeedRepository feeds(database());
  // user 1's feed: tweets 100..104 by authors 7 and 8; user 2 gets tweet 100 too.
  std::vector<domain::FeedEntry> entries;
  for (int i = 0; i < 5; ++i) entries.push_back({1, 100 + i, 7 + i % 2, kT0 + 10 * i});
  entries.push_back({2, 100, 7, kT0});
  feeds.add(entries);
  feeds.add(entries);                                          // a re-run fan-out job
  feeds.add({entries[2], {1, 105, 8, kT0 + 50}, entries[2]});  // duplicates within one call too

  const auto all = feeds.list(1, newest(20));
  EXPECT_EQ(ids_of(all), (std::vector<std::int64_t>{105, 104, 103, 102, 101, 100}));
  EXPECT_EQ(times_of(all),
            (std::vector<Micros>{kT0 + 50, kT0 + 40, kT0 + 30, kT0 + 20, kT0 + 10, kT0}));
  EXPECT_EQ(ids_of(feeds.list(2, newest(20))), (std::vector<std::int64_t>{100}));
  EXPECT_EQ(ids_of(feeds.list(1, newest(2))), (std::vector<std::int64_t>{105, 104}));
  EXPECT_EQ(ids_of(feeds.list(1, older_than(kT0 + 40, 2))), (std::vector<std::int64_t>{103, 102}));
  EXPECT_EQ(ids_of(feeds.list(1, older_than(kT0 + 10, 5))), (std::vector<std::int64_t>{100}));
  EXPECT_EQ(ids_of(feeds.list(1, newer_than(kT0 + 10, 3))),
            (std::vector<std::int64_t>{105, 104, 103}));
  EXPECT_TRUE(feeds.list(1, newer_than(kT0 + 50, 3)).empty());
  EXPECT_TRUE(feeds.list(3, newest(20)).empty());
  feeds.add({});
}

TEST_P(NewsfeedRepositoryTest, EqualTimesAreOrderedByTweetIdDescending) {
  SqlNewsfeedRepository feeds(database());
  feeds.add({{1, 300, 7, kT0}, {1, 100, 7, kT0 + 5}, {1, 200, 7, kT0}, {1, 400, 7, kT0 - 5}});
  EXPECT_EQ(ids_of(feeds.list(1, newest(10))), (std::vector<std::int64_t>{100, 300, 200, 400}));
  EXPECT_EQ(ids_of(feeds.list(1, newest(2))), (std::vector<std::int64_t>{100, 300}));
  EXPECT_EQ(ids_of(feeds.list(1, older_than(kT0 + 5, 2))), (std::vector<std::int64_t>{300, 200}));
}

TEST_P(NewsfeedRepositoryTest, RemoveTweetAndRemoveAuthor) {
  SqlNewsfeedRepository feeds(database());
  feeds.add({{1, 100, 7, kT0},
             {2, 100, 7, kT0},
             {1, 101, 8, kT0 + 1},
             {1, 102, 7, kT0 + 2},
             {2, 103, 8, kT0 + 3}});
  feeds.remove_tweet(100);
  EXPECT_EQ(ids_of(feeds.list(1, newest(10))), (std::vector<std::int64_t>{102, 101}));
  EXPECT_EQ(ids_of(feeds.list(2, newest(10))), (std::vector<std::int64_t>{103}));
  feeds.remove_tweet(100);  // harmless when gone

  feeds.remove_author(1, 7);
  EXPECT_EQ(ids_of(feeds.list(1, newest(10))), (std::vector<std::int64_t>{101}));
  EXPECT_EQ(ids_of(feeds.list(2, newest(10))), (std::vector<std::int64_t>{103}));  // untouched
  feeds.remove_author(1, 8);
  EXPECT_TRUE(feeds.list(1, newest(10)).empty());
}

// Redelivered and overlapping fan-out batches running at once (MySQL may pick deadlock victims
// among them; those run again).
TEST_P(NewsfeedRepositoryTest, ConcurrentOverlappingBatchesLeaveEachRowOnce) {
  constexpr int kThreads = 8;
  SqlNewsfeedRepository feeds(database());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<domain::FeedEntry> entries;
      // Every thread delivers tweets 1..3 to users 0..599, in a thread-specific order.
      for (int i = 0; i < 1800; ++i) {
        const int k = (i * 7 + t * 131) % 1800;
        entries.push_back({k % 600, 1 + k / 600, 9, kT0 + 1 + k / 600});
      }
      try {
        feeds.add(entries);
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (domain::UserId user : {0, 299, 599}) {
    EXPECT_EQ(ids_of(feeds.list(user, newest(10))), (std::vector<std::int64_t>{3, 2, 1}));
  }
}

// The fan-out hot path: one batch of feed rows for many distinct followers.
TEST_P(NewsfeedRepositoryTest, FanOutOfTenThousandRowsIsFast) {
  SqlNewsfeedRepository feeds(database());
  constexpr int kFollowers = 10'000;
  std::vector<domain::FeedEntry> entries;
  for (int i = 0; i < kFollowers; ++i) entries.push_back({1000 + i, 77, 5, kT0});

  const auto start = std::chrono::steady_clock::now();
  feeds.add(entries);
  const auto first = std::chrono::steady_clock::now() - start;
  feeds.add(entries);  // everything exists already: all skipped
  const auto second = std::chrono::steady_clock::now() - start - first;
  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  std::cout << "[ fan-out ] " << kFollowers << " feed rows: insert " << ms(first)
            << " ms, repeated insert " << ms(second) << " ms\n";
  // Generous bounds so a loaded machine does not fail the test; the printed numbers are the
  // measurement.
  EXPECT_LT(ms(first), 5000);
  EXPECT_LT(ms(second), 5000);

  EXPECT_EQ(ids_of(feeds.list(1000, newest(10))), (std::vector<std::int64_t>{77}));
  EXPECT_EQ(ids_of(feeds.list(1000 + kFollowers - 1, newest(10))), (std::vector<std::int64_t>{77}));
  // 10,000 % 200 leaves no partial chunk; add one with a partial chunk too.
  entries.push_back({999, 77, 5, kT0});
  feeds.add(entries);
  EXPECT_EQ(ids_of(feeds.list(999, newest(10))), (std::vector<std::int64_t>{77}));
}

}  // namespace
}  // namespace chirp::store::sql::testing
