// The outbox and the per-user counters' own operations (the counters' upkeep by tweets and
// follows is tested with those repositories).
#include <gtest/gtest.h>

#include <string>

#include "common/time.hpp"
#include "sql_test_support.hpp"
#include "store/sql/outbox_repository.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

class OutboxAndStatsTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(OutboxAndStatsTest);

TEST_P(OutboxAndStatsTest, OutboxPendingDoneAndFailures) {
  SqlOutboxRepository outbox(database());
  EXPECT_EQ(outbox.pending_count(), 0);
  EXPECT_TRUE(outbox.pending(0, 10).empty());

  // A payload can hold about a thousand ids.
  std::string big;
  for (int i = 0; i < 1000; ++i) big += std::to_string(1'000'000'000 + i) + ",";
  const auto a = outbox.add({"fanout", "tweet=1"});
  const auto b = outbox.add({"fanout_batch", big});
  const auto c = outbox.add({"unfollow", ""});
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(outbox.pending_count(), 3);

  auto rows = outbox.pending(0, 10);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, a);
  EXPECT_EQ(rows[0].job.kind, "fanout");
  EXPECT_EQ(rows[0].job.payload, "tweet=1");
  EXPECT_EQ(rows[0].attempts, 0);
  EXPECT_EQ(rows[1].job.payload, big);
  EXPECT_EQ(rows[2].job.payload, "");

  rows = outbox.pending(a, 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, b);
  EXPECT_TRUE(outbox.pending(c, 10).empty());
  EXPECT_TRUE(outbox.pending(0, 0).empty());

  outbox.record_failure(b);
  outbox.record_failure(b);
  outbox.mark_done(a);
  EXPECT_EQ(outbox.pending_count(), 2);
  rows = outbox.pending(0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, b);
  EXPECT_EQ(rows[0].attempts, 2);
  EXPECT_EQ(rows[1].id, c);
  outbox.mark_done(a);  // twice is harmless

  // Purging removes only done rows created before the cutoff.
  EXPECT_EQ(outbox.purge_done(now_micros() - 3'600'000'000), 0);
  EXPECT_EQ(outbox.purge_done(now_micros() + 1), 1);
  EXPECT_EQ(outbox.pending_count(), 2);
  // Ids are never reused, even after the newest row was purged.
  outbox.mark_done(c);
  EXPECT_EQ(outbox.purge_done(now_micros() + 1), 1);
  EXPECT_GT(outbox.add({"fanout", "tweet=2"}), c);
}

TEST_P(OutboxAndStatsTest, StatsAreZeroWithoutARowAndPullModeSticks) {
  SqlUserStatsRepository stats(database());
  const domain::UserStats none = stats.get(42);
  EXPECT_EQ(none.user_id, 42);
  EXPECT_EQ(none.followers_count, 0);
  EXPECT_EQ(none.followings_count, 0);
  EXPECT_EQ(none.tweets_count, 0);
  EXPECT_FALSE(none.pull_mode);
  EXPECT_TRUE(stats.pull_mode_users().empty());

  stats.set_pull_mode(42);
  stats.set_pull_mode(42);
  {
    auto lease = database().acquire();
    add_to_user_counter(*lease, database().dialect(), 7, UserCounter::Followers, 3);
  }
  stats.set_pull_mode(7);
  stats.set_pull_mode(3);
  const domain::UserStats seven = stats.get(7);
  EXPECT_EQ(seven.user_id, 7);
  EXPECT_EQ(seven.followers_count, 3);  // kept by set_pull_mode
  EXPECT_TRUE(seven.pull_mode);
  EXPECT_TRUE(stats.get(42).pull_mode);
  EXPECT_EQ(stats.pull_mode_users(), (std::vector<domain::UserId>{3, 7, 42}));
}

}  // namespace
}  // namespace chirp::store::sql::testing
