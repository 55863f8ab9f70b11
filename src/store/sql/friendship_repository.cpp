#include "store/sql/friendship_repository.hpp"

#include <soci/soci.h>

#include <string>

#include "store/sql/bound_list.hpp"
#include "store/sql/timeline_query.hpp"
#include "store/sql/transaction.hpp"
#include "store/sql/unique_time.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL.
constexpr std::string_view kInsertFriendship =
    "INSERT INTO friendships (from_user_id, to_user_id, created_at) "
    "VALUES (:from_user_id, :to_user_id, :created_at)";
constexpr std::string_view kDeleteFriendship =
    "DELETE FROM friendships WHERE from_user_id = :from_user_id AND to_user_id = :to_user_id";
constexpr std::string_view kCountFriendships =
    "SELECT COUNT(*) FROM friendships WHERE from_user_id = :from_user_id "
    "AND to_user_id = :to_user_id";
constexpr std::string_view kSelectFollowedAmongIn =  // followed by "(:v0, ...)"
    "SELECT to_user_id FROM friendships WHERE from_user_id = :from_user_id AND to_user_id IN ";
constexpr std::string_view kSelectFollowersAmongIn =  // followed by "(:v0, ...)"
    "SELECT from_user_id FROM friendships WHERE to_user_id = :to_user_id AND from_user_id IN ";
// Through the unique (to_user_id, created_at) and (from_user_id, created_at) indexes: times are
// unique within each list, so the time alone orders it and no tie sort is needed.
constexpr std::string_view kSelectFollowers =
    "SELECT from_user_id, created_at FROM friendships WHERE to_user_id = :to_user_id";
constexpr std::string_view kSelectFollowings =
    "SELECT to_user_id, created_at FROM friendships WHERE from_user_id = :from_user_id";
constexpr std::string_view kFollowOrder = "created_at DESC";
// Through the (to_user_id, from_user_id) index.
constexpr std::string_view kSelectFollowerIdsAfter =
    "SELECT from_user_id FROM friendships WHERE to_user_id = :to_user_id "
    "AND from_user_id > :after_id ORDER BY from_user_id LIMIT :limit";

// Unique keys of friendships as each dialect reports them: SQLite by columns, MySQL by index name.
bool is_follow_pair_key(const std::string& key) {
  return key == "from_to" || key == "from_user_id,to_user_id";
}
bool is_follow_time_key(const std::string& key) {
  return key == "from_created" || key == "to_created" || key == "from_user_id,created_at" ||
         key == "to_user_id,created_at";
}

// The ids among `candidates` that a query "... WHERE <owner> = :owner AND <other> IN " returns.
std::vector<domain::UserId> select_among(soci::session& session, std::string_view select_in,
                                         domain::UserId owner,
                                         const std::vector<domain::UserId>& candidates) {
  std::vector<domain::UserId> found;
  for (std::vector<long long>& chunk : id_chunks(distinct_ids(candidates))) {
    std::vector<long long> params{owner};
    params.insert(params.end(), chunk.begin(), chunk.end());
    for (const std::int64_t id :
         fetch_ids(session, with_placeholders(select_in, chunk.size()), params)) {
      found.push_back(id);
    }
  }
  return found;
}

}  // namespace

std::optional<domain::Friendship> SqlFriendshipRepository::create(domain::UserId from,
                                                                  domain::UserId to,
                                                                  Micros created_at) {
  return run_transaction(
      database_, [&](soci::session& session) -> std::optional<domain::Friendship> {
        WriteTransaction transaction(session, database_.dialect());
        const long long from_id = from;
        const long long to_id = to;
        long long inserted_at = 0;
        try {
          inserted_at = insert_at_free_time(
              created_at,
              [&](long long at) {
                session << kInsertFriendship, soci::use(from_id), soci::use(to_id), soci::use(at);
              },
              is_follow_time_key);
        } catch (const soci::soci_error& error) {
          // The follow exists: committed before, or by a concurrent call that we waited for.
          const SqlErrorInfo info = classify_sql_error(error);
          if (info.kind == SqlErrorKind::UniqueViolation && is_follow_pair_key(info.key)) {
            return std::nullopt;
          }
          throw;
        }
        add_to_follow_counters(session, database_.dialect(), from, to, 1);
        transaction.commit();
        return domain::Friendship{from, to, inserted_at};
      });
}

bool SqlFriendshipRepository::remove(domain::UserId from, domain::UserId to) {
  return run_transaction(database_, [&](soci::session& session) {
    WriteTransaction transaction(session, database_.dialect());
    const long long from_id = from;
    const long long to_id = to;
    soci::statement statement =
        (session.prepare << kDeleteFriendship, soci::use(from_id), soci::use(to_id));
    statement.execute(true);
    if (statement.get_affected_rows() == 0) return false;
    add_to_follow_counters(session, database_.dialect(), from, to, -1);
    transaction.commit();
    return true;
  });
}

bool SqlFriendshipRepository::exists(domain::UserId from, domain::UserId to) {
  return database_.run([&](soci::session& session) {
    const long long from_id = from;
    const long long to_id = to;
    long long count = 0;
    session << kCountFriendships, soci::into(count), soci::use(from_id), soci::use(to_id);
    return count > 0;
  });
}

std::vector<domain::UserId> SqlFriendshipRepository::followed_among(
    domain::UserId from, const std::vector<domain::UserId>& candidates) {
  if (candidates.empty()) return {};
  return database_.run([&](soci::session& session) {
    return select_among(session, kSelectFollowedAmongIn, from, candidates);
  });
}

std::vector<domain::UserId> SqlFriendshipRepository::followers_among(
    domain::UserId to, const std::vector<domain::UserId>& candidates) {
  if (candidates.empty()) return {};
  return database_.run([&](soci::session& session) {
    return select_among(session, kSelectFollowersAmongIn, to, candidates);
  });
}

std::vector<domain::TimelineItem> SqlFriendshipRepository::followers(
    domain::UserId to, const domain::TimeRange& range) {
  if (range.limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{to};
    const std::string sql = ranged_query(kSelectFollowers, kFollowOrder, range, params);
    return fetch_timeline(session, sql, params);
  });
}

std::vector<domain::TimelineItem> SqlFriendshipRepository::followings(
    domain::UserId from, const domain::TimeRange& range) {
  if (range.limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{from};
    const std::string sql = ranged_query(kSelectFollowings, kFollowOrder, range, params);
    return fetch_timeline(session, sql, params);
  });
}

std::vector<domain::UserId> SqlFriendshipRepository::follower_ids_after(domain::UserId to,
                                                                        domain::UserId after_id,
                                                                        std::size_t limit) {
  if (limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{to, after_id, static_cast<long long>(limit)};
    return fetch_ids(session, std::string(kSelectFollowerIdsAfter), params);
  });
}

}  // namespace chirp::store::sql
