#include "store/sql/transaction.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <future>
#include <thread>

#include "sql_test_support.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr std::string_view kBumpTweets =
    "UPDATE user_stats SET tweets_count = tweets_count + 1 WHERE user_id = :user_id";

void bump(soci::session& session, long long user) {
  session << kBumpTweets, soci::use(user);
}

class TransactionTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(TransactionTest);

// A deadlock whose victim is run_transaction's work (InnoDB rolls back the transaction that
// changed fewer rows): the work runs again and succeeds.
TEST_P(TransactionTest, RunTransactionRunsADeadlockVictimAgain) {
  if (GetParam() != Backend::Mysql) GTEST_SKIP() << "SQLite serialises writers: no deadlocks";
  SqlUserStatsRepository stats(database());
  {
    auto lease = database().acquire();
    for (long long user = 1; user <= 60; ++user) {
      add_to_user_counter(*lease, database().dialect(), user, UserCounter::Tweets, 0);
    }
  }
  std::promise<void> first_locked;
  std::promise<void> second_locked;
  std::thread heavy([&] {
    auto lease = database().acquire();
    WriteTransaction transaction(*lease, database().dialect());
    for (long long user = 10; user <= 60; ++user) bump(*lease, user);
    first_locked.get_future().wait();
    bump(*lease, 2);
    second_locked.set_value();
    bump(*lease, 1);  // waits for the victim to roll back
    transaction.commit();
  });

  int attempts = 0;
  run_transaction(database(), [&](soci::session& session) {
    ++attempts;
    WriteTransaction transaction(session, database().dialect());
    bump(session, 1);
    if (attempts == 1) {
      first_locked.set_value();
      second_locked.get_future().wait();
    }
    bump(session, 2);
    transaction.commit();
  });
  heavy.join();

  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(stats.get(1).tweets_count, 2);
  EXPECT_EQ(stats.get(2).tweets_count, 2);
  EXPECT_EQ(stats.get(10).tweets_count, 1);
}

}  // namespace
}  // namespace chirp::store::sql::testing
