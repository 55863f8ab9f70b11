// Migration 3 (comments, likes, notifications): safe to run again, and the lists and the deletions
// that follow a removed tweet or comment are served by indexes.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <string>
#include <vector>

#include "interaction_test_support.hpp"
#include "sql_test_support.hpp"
#include "store/sql/like_repository.hpp"
#include "store/sql/migrations.hpp"

namespace chirp::store::sql::testing {
namespace {

class InteractionSchemaTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(InteractionSchemaTest);

TEST_P(InteractionSchemaTest, MigrationRunsAgainOverExistingTables) {
  const domain::Tweet tweet = post_tweet(database(), 1, kInteractionT0);
  SqlLikeRepository likes(database());
  ASSERT_TRUE(likes.create(domain::ContentType::Tweet, tweet.id, 2, kInteractionT0, std::nullopt));
  {
    auto lease = database().acquire();
    *lease << "DELETE FROM schema_migrations WHERE version >= 3";
  }
  EXPECT_EQ(database().schema_version(), 2);
  database().migrate();
  EXPECT_EQ(database().schema_version(), migrations().back().version);
  EXPECT_EQ(likes.liked_among(2, domain::ContentType::Tweet, {tweet.id}),
            (std::vector<std::int64_t>{tweet.id}));
}

std::string sqlite_plan(soci::session& session, const std::string& query) {
  soci::rowset<soci::row> rows = session.prepare << "EXPLAIN QUERY PLAN " + query;
  std::string plan;
  for (const soci::row& row : rows) plan += row.get<std::string>(3) + "\n";
  return plan;
}

TEST_P(InteractionSchemaTest, SqliteListsReadIndexesWithoutSorting) {
  if (GetParam() != Backend::Sqlite) GTEST_SKIP() << "SQLite query plans";
  auto lease = database().acquire();
  const std::vector<std::string> lists{
      "SELECT id, tweet_id, user_id, content, created_at, updated_at, likes_count FROM comments "
      "WHERE tweet_id = 1 AND created_at > 9 ORDER BY created_at LIMIT 20",
      "SELECT user_id, created_at FROM likes WHERE content_type = 2 AND object_id = 1 "
      "AND created_at < 9 ORDER BY created_at DESC LIMIT 20",
      "SELECT id, unread FROM notifications WHERE recipient_id = 1 "
      "ORDER BY timestamp DESC, id DESC LIMIT 10 OFFSET 20",
      "SELECT id, unread FROM notifications WHERE recipient_id = 1 AND unread = 1 "
      "ORDER BY timestamp DESC, id DESC LIMIT 10 OFFSET 20",
  };
  for (const std::string& query : lists) {
    const std::string plan = sqlite_plan(*lease, query);
    EXPECT_NE(plan.find("INDEX"), std::string::npos) << query << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << query << "\n" << plan;
  }
}

TEST_P(InteractionSchemaTest, SqliteLookupsAndDeletionsNeverScanATable) {
  if (GetParam() != Backend::Sqlite) GTEST_SKIP() << "SQLite query plans";
  auto lease = database().acquire();
  const std::vector<std::string> statements{
      "SELECT object_id FROM likes WHERE user_id = 1 AND content_type = 2 AND object_id IN (1, 2)",
      "SELECT COUNT(*) FROM notifications WHERE recipient_id = 1 AND unread = 1",
      "UPDATE notifications SET unread = 0 WHERE recipient_id = 1 AND unread = 1",
      "DELETE FROM likes WHERE content_type = 3 "
      "AND object_id IN (SELECT id FROM comments WHERE tweet_id = 1)",
      "DELETE FROM notifications WHERE target_type = 3 "
      "AND target_id IN (SELECT id FROM comments WHERE tweet_id = 1)",
      "DELETE FROM notifications "
      "WHERE action_object_id IN (SELECT id FROM comments WHERE tweet_id = 1)",
      "DELETE FROM comments WHERE tweet_id = 1",
      "DELETE FROM likes WHERE content_type = 2 AND object_id = 1",
      "DELETE FROM notifications WHERE target_type = 2 AND target_id = 1",
      "DELETE FROM notifications WHERE action_object_id = 1",
  };
  for (const std::string& statement : statements) {
    const std::string plan = sqlite_plan(*lease, statement);
    EXPECT_NE(plan.find("INDEX"), std::string::npos) << statement << "\n" << plan;
    // "SCAN <table>" without an index reads the whole table.
    for (const char* table : {"SCAN likes\n", "SCAN notifications\n", "SCAN comments\n"}) {
      EXPECT_EQ(plan.find(table), std::string::npos) << statement << "\n" << plan;
    }
  }
}

}  // namespace
}  // namespace chirp::store::sql::testing
