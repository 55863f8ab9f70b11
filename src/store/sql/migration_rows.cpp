#include "store/sql/migration_rows.hpp"

#include <soci/soci.h>

#include <array>

#include "store/sql/newsfeed_repository.hpp"
#include "store/sql/timeline_query.hpp"
#include "store/sql/transaction.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql {
namespace {

constexpr std::string_view kSelectFollowingsOf =
    "SELECT from_user_id, to_user_id, created_at FROM friendships WHERE from_user_id = :id";
constexpr std::string_view kSelectFollowersOf =
    "SELECT from_user_id, to_user_id, created_at FROM friendships WHERE to_user_id = :id";
constexpr std::string_view kSelectFriendship =
    "SELECT created_at FROM friendships WHERE from_user_id = :from_user_id "
    "AND to_user_id = :to_user_id";
constexpr std::string_view kDeletePair =
    "DELETE FROM friendships WHERE from_user_id = :from_user_id AND to_user_id = :to_user_id";
constexpr std::string_view kDeletePairAt =
    "DELETE FROM friendships WHERE from_user_id = :from_user_id AND to_user_id = :to_user_id "
    "AND created_at = :created_at";
constexpr std::string_view kInsertFriendship =
    "INSERT INTO friendships (from_user_id, to_user_id, created_at) "
    "VALUES (:from_user_id, :to_user_id, :created_at)";

constexpr std::string_view kSelectFeedOf =
    "SELECT user_id, tweet_id, author_id, created_at FROM newsfeeds WHERE user_id = :user_id";
constexpr std::string_view kSelectFeedEntry =
    "SELECT user_id, tweet_id, author_id, created_at FROM newsfeeds WHERE user_id = :user_id "
    "AND tweet_id = :tweet_id";
constexpr std::string_view kSelectUserIdsAfter =
    "SELECT id FROM users WHERE id > :after ORDER BY id LIMIT :limit";
constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM users";
constexpr std::string_view kDeleteFeedEntry =
    "DELETE FROM newsfeeds WHERE user_id = :user_id AND tweet_id = :tweet_id";

// Runs a query of 64-bit integer parameters whose rows are `N` 64-bit integers; `make` builds an
// item from them. Reads into long long (SOCI's SQLite backend reports INTEGER columns as int, so
// soci::row::get<long long> would throw).
template <std::size_t N, class Make>
auto fetch_rows(soci::session& session, std::string_view sql, std::vector<long long> params,
                Make&& make) {
  std::array<long long, N> values{};
  soci::details::prepare_temp_type query = (session.prepare << sql);
  for (long long& value : values) query, soci::into(value);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute();
  std::vector<decltype(make(values))> out;
  while (statement.fetch()) out.push_back(make(values));
  return out;
}

domain::Friendship to_friendship(const std::array<long long, 3>& v) {
  return {v[0], v[1], v[2]};
}
domain::FeedEntry to_feed_entry(const std::array<long long, 4>& v) {
  return {v[0], v[1], v[2], v[3]};
}

std::vector<domain::Friendship> select_friendships(Database& database, std::string_view sql,
                                                   domain::UserId user) {
  return database.run(
      [&](soci::session& session) { return fetch_rows<3>(session, sql, {user}, to_friendship); });
}

std::vector<domain::FeedEntry> select_feed(soci::session& session, std::string_view sql,
                                           std::vector<long long> params) {
  return fetch_rows<4>(session, sql, std::move(params), to_feed_entry);
}

}  // namespace

std::vector<domain::Friendship> SqlFriendshipRows::followings_of(domain::UserId from) {
  return select_friendships(database_, kSelectFollowingsOf, from);
}

std::vector<domain::Friendship> SqlFriendshipRows::followers_of(domain::UserId to) {
  return select_friendships(database_, kSelectFollowersOf, to);
}

std::optional<domain::Friendship> SqlFriendshipRows::find(domain::UserId from, domain::UserId to) {
  return database_.run([&](soci::session& session) -> std::optional<domain::Friendship> {
    const long long from_id = from, to_id = to;
    long long created_at = 0;
    soci::indicator found = soci::i_null;
    session << kSelectFriendship, soci::into(created_at, found), soci::use(from_id),
        soci::use(to_id);
    if (!session.got_data()) return std::nullopt;
    return domain::Friendship{from, to, created_at};
  });
}

void SqlFriendshipRows::put(const domain::Friendship& friendship) {
  run_transaction(database_, [&](soci::session& session) {
    WriteTransaction transaction(session, database_.dialect());
    const long long from_id = friendship.from_user_id, to_id = friendship.to_user_id;
    long long at = friendship.created_at;
    session << kDeletePair, soci::use(from_id), soci::use(to_id);
    session << kInsertFriendship, soci::use(from_id), soci::use(to_id), soci::use(at);
    transaction.commit();
  });
}

void SqlFriendshipRows::erase(domain::UserId from, domain::UserId to,
                              std::optional<Micros> created_at) {
  database_.run([&](soci::session& session) {
    const long long from_id = from, to_id = to;
    if (created_at) {
      const long long at = *created_at;
      session << kDeletePairAt, soci::use(from_id), soci::use(to_id), soci::use(at);
    } else {
      session << kDeletePair, soci::use(from_id), soci::use(to_id);
    }
  });
}

std::vector<domain::FeedEntry> SqlNewsfeedRows::entries_of(domain::UserId user) {
  return database_.run(
      [&](soci::session& session) { return select_feed(session, kSelectFeedOf, {user}); });
}

std::optional<domain::FeedEntry> SqlNewsfeedRows::find(domain::UserId user, domain::TweetId tweet) {
  return database_.run([&](soci::session& session) -> std::optional<domain::FeedEntry> {
    auto rows = select_feed(session, kSelectFeedEntry, {user, tweet});
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

void SqlNewsfeedRows::put(const std::vector<domain::FeedEntry>& entries) {
  SqlNewsfeedRepository(database_).add(entries);  // skips existing (user, tweet) rows
}

void SqlNewsfeedRows::erase(domain::UserId user, domain::TweetId tweet) {
  database_.run([&](soci::session& session) {
    const long long user_id = user, tweet_id = tweet;
    session << kDeleteFeedEntry, soci::use(user_id), soci::use(tweet_id);
  });
}

void SqlFollowCounters::add_follow(domain::UserId from, domain::UserId to, int delta) {
  run_transaction(database_, [&](soci::session& session) {
    WriteTransaction transaction(session, database_.dialect());
    add_to_follow_counters(session, database_.dialect(), from, to, delta, /*exact=*/true);
    transaction.commit();
  });
}

std::vector<domain::UserId> user_ids_after(Database& database, domain::UserId after,
                                           std::size_t limit) {
  return database.run([&](soci::session& session) {
    std::vector<long long> params{after, static_cast<long long>(limit)};
    return fetch_ids(session, std::string(kSelectUserIdsAfter), params);
  });
}

std::int64_t count_users(Database& database) {
  return database.run([](soci::session& session) {
    long long count = 0;
    session << kCountUsers, soci::into(count);
    return static_cast<std::int64_t>(count);
  });
}

}  // namespace chirp::store::sql
