#include "store/sql/newsfeed_repository.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <span>
#include <string>

#include "store/sql/timeline_query.hpp"
#include "store/sql/transaction.hpp"

namespace chirp::store::sql {
namespace {

// Multi-row inserts that skip rows whose (user_id, tweet_id) exists: a re-run fan-out batch is
// harmless. SQLite's ON CONFLICT names the key, so no other error is silenced; MySQL's INSERT
// IGNORE would also turn bad values into warnings, which integer columns cannot have.
constexpr std::string_view kInsertFeedRowsSqlite =  // followed by the rows and the suffix
    "INSERT INTO newsfeeds (user_id, tweet_id, author_id, created_at) VALUES ";
constexpr std::string_view kInsertFeedRowsSuffixSqlite =
    " ON CONFLICT (user_id, tweet_id) DO NOTHING";
constexpr std::string_view kInsertFeedRowsMysql =  // followed by the rows
    "INSERT IGNORE INTO newsfeeds (user_id, tweet_id, author_id, created_at) VALUES ";
constexpr std::string_view kInsertFeedRowsSuffixMysql = "";
// Through the (user_id, created_at, tweet_id) index, which also covers the columns read.
constexpr std::string_view kSelectFeed =
    "SELECT tweet_id, created_at FROM newsfeeds WHERE user_id = :user_id";
constexpr std::string_view kFeedOrder = "created_at DESC, tweet_id DESC";
constexpr std::string_view kDeleteFeedRowsOfTweet =
    "DELETE FROM newsfeeds WHERE tweet_id = :tweet_id";
constexpr std::string_view kDeleteFeedRowsOfAuthor =
    "DELETE FROM newsfeeds WHERE user_id = :user_id AND author_id = :author_id";

// Rows per INSERT: 4 values each stays under SQLite's historical limit of 999 bound values.
constexpr std::size_t kFeedRowsPerStatement = 200;
constexpr std::size_t kValuesPerFeedRow = 4;

// The insert for `rows` rows: "... VALUES (:u0, :t0, :a0, :c0), (:u1, ...)" plus the suffix.
std::string insert_feed_rows_sql(Dialect dialect, std::size_t rows) {
  const bool sqlite = dialect == Dialect::Sqlite;
  std::string sql(sqlite ? kInsertFeedRowsSqlite : kInsertFeedRowsMysql);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string n = std::to_string(i);
    if (i != 0) sql += ", ";
    sql += "(:u" + n + ", :t" + n + ", :a" + n + ", :c" + n + ")";
  }
  sql += sqlite ? kInsertFeedRowsSuffixSqlite : kInsertFeedRowsSuffixMysql;
  return sql;
}

// A prepared multi-row insert bound to a buffer of values: each insert() copies its rows into the
// buffer and executes the statement again, without preparing it again.
class FeedRowInserter {
 public:
  FeedRowInserter(soci::session& session, Dialect dialect, std::size_t rows)
      : values_(rows * kValuesPerFeedRow), statement_(prepare(session, dialect, rows)) {}

  // `rows` holds exactly as many entries as the statement was prepared for.
  void insert(std::span<const domain::FeedEntry> rows) {
    std::size_t i = 0;
    for (const domain::FeedEntry& entry : rows) {
      values_[i++] = entry.user_id;
      values_[i++] = entry.tweet_id;
      values_[i++] = entry.author_id;
      values_[i++] = entry.created_at;
    }
    statement_.execute(true);
  }

 private:
  soci::statement prepare(soci::session& session, Dialect dialect, std::size_t rows) {
    soci::details::prepare_temp_type query =
        (session.prepare << insert_feed_rows_sql(dialect, rows));
    for (long long& value : values_) query, soci::use(value);
    return soci::statement(query);
  }

  std::vector<long long> values_;  // never resized: the statement holds references into it
  soci::statement statement_;
};

}  // namespace

void SqlNewsfeedRepository::add(const std::vector<domain::FeedEntry>& entries) {
  if (entries.empty()) return;
  // In key order, so that concurrent batches take MySQL's index locks in the same order.
  std::vector<domain::FeedEntry> rows(entries);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.user_id != b.user_id ? a.user_id < b.user_id : a.tweet_id < b.tweet_id;
  });
  const std::span<const domain::FeedEntry> all(rows);
  const std::size_t full_chunks_end = rows.size() - rows.size() % kFeedRowsPerStatement;
  run_transaction(database_, [&](soci::session& session) {
    WriteTransaction transaction(session, database_.dialect());
    if (full_chunks_end > 0) {
      FeedRowInserter inserter(session, database_.dialect(), kFeedRowsPerStatement);
      for (std::size_t start = 0; start < full_chunks_end; start += kFeedRowsPerStatement) {
        inserter.insert(all.subspan(start, kFeedRowsPerStatement));
      }
    }
    if (full_chunks_end < rows.size()) {
      FeedRowInserter inserter(session, database_.dialect(), rows.size() - full_chunks_end);
      inserter.insert(all.subspan(full_chunks_end));
    }
    transaction.commit();
  });
}

std::vector<domain::TimelineItem> SqlNewsfeedRepository::list(domain::UserId user,
                                                              const domain::TimeRange& range) {
  if (range.limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{user};
    const std::string sql = ranged_query(kSelectFeed, kFeedOrder, range, params);
    return fetch_timeline(session, sql, params);
  });
}

void SqlNewsfeedRepository::remove_tweet(domain::TweetId tweet) {
  database_.run([&](soci::session& session) {
    const long long tweet_id = tweet;
    session << kDeleteFeedRowsOfTweet, soci::use(tweet_id);
  });
}

void SqlNewsfeedRepository::remove_author(domain::UserId user, domain::UserId author) {
  database_.run([&](soci::session& session) {
    const long long user_id = user;
    const long long author_id = author;
    session << kDeleteFeedRowsOfAuthor, soci::use(user_id), soci::use(author_id);
  });
}

}  // namespace chirp::store::sql
