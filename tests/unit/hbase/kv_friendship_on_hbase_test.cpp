// The wide-column friendship repository on a real HBase: follow-once and exact counters under
// racing follows and unfollows of one pair (the RocksDB twin is in tests/unit/kv).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include "common/time.hpp"
#include "hbase_test_support.hpp"
#include "store/kv/kv_friendship_repository.hpp"

namespace chirp::store::hbase::testing {
namespace {

struct CountingFollows final : domain::FollowCounters {
  std::atomic<int> followers{0};
  void add_follow(domain::UserId, domain::UserId, int delta) override { followers += delta; }
};

TEST(KvFriendshipOnHBase, RacingFollowsAndUnfollowsKeepTheCountExact) {
  auto url = test_hbase_url();
  if (!url) GTEST_SKIP() << "CHIRP_TEST_HBASE_URL is not set";
  const std::string ns = "race_" + std::to_string(::getpid());
  HBaseStore store(*url + "/" + ns);
  kv::KvFriendshipRepository::create_tables(store);
  CountingFollows counts;
  kv::KvFriendshipRepository repo(store, &counts);
  for (int round = 0; round < 30; ++round) {
    const domain::UserId from = 1000 + round, to = 2000 + round;
    std::latch start(16);
    std::vector<std::thread> threads;
    std::atomic<Micros> clock{now_micros()};
    std::atomic<int> creates{0}, removes{0};
    for (int i = 0; i < 16; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        for (int n = 0; n < 5; ++n) {
          if (i % 2 == 0) {
            if (repo.create(from, to, clock.fetch_add(1))) ++creates;
          } else {
            if (repo.remove(from, to)) ++removes;
          }
          std::this_thread::sleep_for(std::chrono::microseconds(500 * ((i + n) % 5)));
        }
      });
    }
    std::atomic<bool> done{false};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
      readers.emplace_back([&] {
        while (!done) {
          repo.exists(from, to);
          repo.followers(to, domain::TimeRange{});
        }
      });
    }
    for (auto& t : threads) t.join();
    done = true;
    for (auto& t : readers) t.join();
    const bool follows = repo.exists(from, to);
    const auto listed = repo.followers(to, domain::TimeRange{});
    EXPECT_EQ(counts.followers.load(), follows ? 1 : 0) << "round " << round;
    EXPECT_EQ(creates.load() - removes.load(), follows ? 1 : 0) << "round " << round;
    EXPECT_EQ(listed.size(), follows ? 1u : 0u) << "round " << round;
    if (follows) repo.remove(from, to);
    counts.followers = 0;
  }
  for (const char* table : {"followings", "followers", "follow_index"}) store.drop_table(table);
}

}  // namespace
}  // namespace chirp::store::hbase::testing
