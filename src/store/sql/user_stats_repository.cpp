#include "store/sql/user_stats_repository.hpp"

#include <soci/soci.h>

#include <string>

#include "store/sql/timeline_query.hpp"

namespace chirp::store::sql {
namespace {

// Upserts: `UPDATE ... SET n = n + :delta` on an existing row, an insert otherwise; under
// concurrent writers both dialects lock the row and apply every delta.
constexpr std::string_view kAddFollowersSqlite =
    "INSERT INTO user_stats (user_id, followers_count) VALUES (:user_id, :initial) "
    "ON CONFLICT (user_id) DO UPDATE SET followers_count = followers_count + :delta";
constexpr std::string_view kAddFollowersMysql =
    "INSERT INTO user_stats (user_id, followers_count) VALUES (:user_id, :initial) "
    "ON DUPLICATE KEY UPDATE followers_count = followers_count + :delta";
constexpr std::string_view kAddFollowingsSqlite =
    "INSERT INTO user_stats (user_id, followings_count) VALUES (:user_id, :initial) "
    "ON CONFLICT (user_id) DO UPDATE SET followings_count = followings_count + :delta";
constexpr std::string_view kAddFollowingsMysql =
    "INSERT INTO user_stats (user_id, followings_count) VALUES (:user_id, :initial) "
    "ON DUPLICATE KEY UPDATE followings_count = followings_count + :delta";
constexpr std::string_view kAddTweetsSqlite =
    "INSERT INTO user_stats (user_id, tweets_count) VALUES (:user_id, :initial) "
    "ON CONFLICT (user_id) DO UPDATE SET tweets_count = tweets_count + :delta";
constexpr std::string_view kAddTweetsMysql =
    "INSERT INTO user_stats (user_id, tweets_count) VALUES (:user_id, :initial) "
    "ON DUPLICATE KEY UPDATE tweets_count = tweets_count + :delta";

constexpr std::string_view kSetPullModeSqlite =
    "INSERT INTO user_stats (user_id, pull_mode) VALUES (:user_id, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET pull_mode = 1";
constexpr std::string_view kSetPullModeMysql =
    "INSERT INTO user_stats (user_id, pull_mode) VALUES (:user_id, 1) "
    "ON DUPLICATE KEY UPDATE pull_mode = 1";

// Same text for SQLite and MySQL.
constexpr std::string_view kSelectUserStats =
    "SELECT followers_count, followings_count, tweets_count, pull_mode FROM user_stats "
    "WHERE user_id = :user_id";
// `pull_mode = 1` literally: SQLite's partial index user_stats_pull_mode matches only this form.
constexpr std::string_view kSelectPullModeUsers =
    "SELECT user_id FROM user_stats WHERE pull_mode = 1 ORDER BY user_id";

std::string_view add_to_counter_sql(UserCounter counter, Dialect dialect) {
  const bool sqlite = dialect == Dialect::Sqlite;
  switch (counter) {
    case UserCounter::Followers:
      return sqlite ? kAddFollowersSqlite : kAddFollowersMysql;
    case UserCounter::Followings:
      return sqlite ? kAddFollowingsSqlite : kAddFollowingsMysql;
    case UserCounter::Tweets:
      return sqlite ? kAddTweetsSqlite : kAddTweetsMysql;
  }
  return {};
}

}  // namespace

void add_to_user_counter(soci::session& session, Dialect dialect, domain::UserId user,
                         UserCounter counter, long long delta, bool exact) {
  const long long user_id = user;
  const long long initial = exact || delta > 0 ? delta : 0;
  session << add_to_counter_sql(counter, dialect), soci::use(user_id), soci::use(initial),
      soci::use(delta);
}

domain::UserStats SqlUserStatsRepository::get(domain::UserId user) {
  return database_.run([&](soci::session& session) {
    const long long user_id = user;
    long long followers = 0;
    long long followings = 0;
    long long tweets = 0;
    int pull_mode = 0;
    session << kSelectUserStats, soci::into(followers), soci::into(followings), soci::into(tweets),
        soci::into(pull_mode), soci::use(user_id);
    if (!session.got_data()) return domain::UserStats{user, 0, 0, 0, false};
    return domain::UserStats{user, followers, followings, tweets, pull_mode != 0};
  });
}

void SqlUserStatsRepository::set_pull_mode(domain::UserId user) {
  database_.run([&](soci::session& session) {
    const long long user_id = user;
    session << (database_.dialect() == Dialect::Sqlite ? kSetPullModeSqlite : kSetPullModeMysql),
        soci::use(user_id);
  });
}

std::vector<domain::UserId> SqlUserStatsRepository::pull_mode_users() {
  return database_.run([](soci::session& session) {
    std::vector<long long> no_params;
    return fetch_ids(session, std::string(kSelectPullModeUsers), no_params);
  });
}

// Adds `delta` to from's followings and to's followers, locking the two rows in ascending user
// order so that follows between the same two users in opposite directions cannot deadlock.
void add_to_follow_counters(soci::session& session, Dialect dialect, domain::UserId from,
                            domain::UserId to, long long delta, bool exact) {
  if (from < to) {
    add_to_user_counter(session, dialect, from, UserCounter::Followings, delta, exact);
    add_to_user_counter(session, dialect, to, UserCounter::Followers, delta, exact);
  } else {
    add_to_user_counter(session, dialect, to, UserCounter::Followers, delta, exact);
    add_to_user_counter(session, dialect, from, UserCounter::Followings, delta, exact);
  }
}

}  // namespace chirp::store::sql
