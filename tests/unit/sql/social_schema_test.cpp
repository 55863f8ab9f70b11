// Migration 2 (tweets, follows, feeds, counters, outbox): safe to run again, and the list queries
// are served by indexes in the order they read.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <string>
#include <vector>

#include "sql_test_support.hpp"
#include "store/sql/friendship_repository.hpp"
#include "store/sql/migrations.hpp"

namespace chirp::store::sql::testing {
namespace {

class SocialSchemaTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(SocialSchemaTest);

// MySQL DDL commits statement by statement, so an interrupted migration runs again over tables
// that exist already.
TEST_P(SocialSchemaTest, MigrationRunsAgainOverExistingTables) {
  SqlFriendshipRepository friendships(database());
  ASSERT_TRUE(friendships.create(1, 2, 1000).has_value());
  {
    auto lease = database().acquire();
    *lease << "DELETE FROM schema_migrations WHERE version >= 2";
  }
  EXPECT_EQ(database().schema_version(), 1);
  database().migrate();
  EXPECT_EQ(database().schema_version(), migrations().back().version);
  EXPECT_TRUE(friendships.exists(1, 2));
}

std::string sqlite_plan(soci::session& session, const std::string& query) {
  soci::rowset<soci::row> rows = session.prepare << "EXPLAIN QUERY PLAN " + query;
  std::string plan;
  for (const soci::row& row : rows) plan += row.get<std::string>(3) + "\n";
  return plan;
}

TEST_P(SocialSchemaTest, SqliteListsReadIndexesWithoutSorting) {
  if (GetParam() != Backend::Sqlite) GTEST_SKIP() << "SQLite query plans";
  auto lease = database().acquire();
  const std::vector<std::string> lists{
      "SELECT id, created_at FROM tweets WHERE user_id = 1 AND created_at < 9 "
      "ORDER BY created_at DESC, id DESC LIMIT 20",
      "SELECT tweet_id, created_at FROM newsfeeds WHERE user_id = 1 AND created_at > 9 "
      "ORDER BY created_at DESC, tweet_id DESC LIMIT 20",
      "SELECT from_user_id, created_at FROM friendships WHERE to_user_id = 1 "
      "ORDER BY created_at DESC LIMIT 20",
      "SELECT to_user_id, created_at FROM friendships WHERE from_user_id = 1 AND created_at < 9 "
      "ORDER BY created_at DESC LIMIT 20",
      "SELECT from_user_id FROM friendships WHERE to_user_id = 1 AND from_user_id > 9 "
      "ORDER BY from_user_id LIMIT 20",
      "SELECT id, kind, payload, attempts FROM outbox WHERE done = 0 AND id > 9 "
      "ORDER BY id LIMIT 20",
      "SELECT user_id FROM user_stats WHERE pull_mode = 1 ORDER BY user_id",
  };
  for (const std::string& query : lists) {
    const std::string plan = sqlite_plan(*lease, query);
    EXPECT_NE(plan.find("INDEX"), std::string::npos) << query << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << query << "\n" << plan;
  }
}

}  // namespace
}  // namespace chirp::store::sql::testing
