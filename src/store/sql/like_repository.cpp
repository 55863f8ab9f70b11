#include "store/sql/like_repository.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

#include "store/sql/bound_list.hpp"
#include "store/sql/notification_repository.hpp"
#include "store/sql/timeline_query.hpp"
#include "store/sql/transaction.hpp"
#include "store/sql/unique_time.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL unless named for a dialect.
// create() and remove() change the liked row's count FIRST: no affected row means the object is
// gone, and the row lock serialises every like and cancel of one object, so the count and the
// like rows change together and in one order (object row, then likes, as the deletions of tweets
// and comments lock them too).
constexpr std::string_view kRaiseTweetLikes =
    "UPDATE tweets SET likes_count = likes_count + 1 WHERE id = :object_id";
constexpr std::string_view kLowerTweetLikes =
    "UPDATE tweets SET likes_count = likes_count - 1 WHERE id = :object_id";
constexpr std::string_view kRaiseCommentLikes =
    "UPDATE comments SET likes_count = likes_count + 1 WHERE id = :object_id";
constexpr std::string_view kLowerCommentLikes =
    "UPDATE comments SET likes_count = likes_count - 1 WHERE id = :object_id";
constexpr std::string_view kInsertLike =
    "INSERT INTO likes (content_type, object_id, user_id, created_at) "
    "VALUES (:content_type, :object_id, :user_id, :created_at)";
// The like that made an insert fail. MySQL reads it with a locking read, which sees the latest
// committed row whatever snapshot the transaction holds; the failed insert holds that lock already.
constexpr std::string_view kSelectLikeTimeSqlite =
    "SELECT created_at FROM likes WHERE user_id = :user_id AND content_type = :content_type "
    "AND object_id = :object_id";
constexpr std::string_view kSelectLikeTimeMysql =
    "SELECT created_at FROM likes WHERE user_id = :user_id AND content_type = :content_type "
    "AND object_id = :object_id LOCK IN SHARE MODE";
constexpr std::string_view kDeleteLike =
    "DELETE FROM likes WHERE user_id = :user_id AND content_type = :content_type "
    "AND object_id = :object_id";
// Through the unique (content_type, object_id, created_at) index: times are unique within an
// object's likes, so the time alone orders the list.
constexpr std::string_view kSelectLikers =
    "SELECT user_id, created_at FROM likes WHERE content_type = :content_type "
    "AND object_id = :object_id";
constexpr std::string_view kLikersOrder = "created_at DESC";
// Through the unique (user_id, content_type, object_id) index.
constexpr std::string_view kSelectLikedAmongIn =  // followed by "(:v0, ...)"
    "SELECT object_id FROM likes WHERE user_id = :user_id AND content_type = :content_type "
    "AND object_id IN ";

// Unique keys of likes as each dialect reports them: SQLite by columns, MySQL by index name.
bool is_like_pair_key(const std::string& key) {
  return key == "user_object" || key == "user_id,content_type,object_id";
}
bool is_like_time_key(const std::string& key) {
  return key == "object_created" || key == "content_type,object_id,created_at";
}

bool likeable(domain::ContentType type) {
  return type == domain::ContentType::Tweet || type == domain::ContentType::Comment;
}

std::string_view raise_likes_sql(domain::ContentType type) {
  return type == domain::ContentType::Tweet ? kRaiseTweetLikes : kRaiseCommentLikes;
}
std::string_view lower_likes_sql(domain::ContentType type) {
  return type == domain::ContentType::Tweet ? kLowerTweetLikes : kLowerCommentLikes;
}

// Runs an UPDATE or DELETE whose parameters are all 64-bit integers; returns the affected rows.
long long execute_counted(soci::session& session, std::string_view sql,
                          std::vector<long long>& params) {
  soci::details::prepare_temp_type query = (session.prepare << sql);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute(true);
  return statement.get_affected_rows();
}

}  // namespace

std::optional<domain::LikeRepository::Result> SqlLikeRepository::create(
    domain::ContentType type, std::int64_t object_id, domain::UserId user, Micros created_at,
    const std::optional<domain::NewNotification>& notify) {
  if (!likeable(type)) return std::nullopt;
  return run_transaction(database_, [&](soci::session& session) -> std::optional<Result> {
    WriteTransaction transaction(session, database_.dialect());
    std::vector<long long> object{object_id};
    if (execute_counted(session, raise_likes_sql(type), object) == 0) return std::nullopt;
    const int content_type = static_cast<int>(type);
    const long long object_key = object_id;
    const long long user_id = user;
    long long inserted_at = 0;
    try {
      inserted_at = insert_at_free_time(
          created_at,
          [&](long long at) {
            session << kInsertLike, soci::use(content_type), soci::use(object_key),
                soci::use(user_id), soci::use(at);
          },
          is_like_time_key);
    } catch (const soci::soci_error& error) {
      const SqlErrorInfo info = classify_sql_error(error);
      if (info.kind != SqlErrorKind::UniqueViolation || !is_like_pair_key(info.key)) throw;
      // Liked before: report that like; the transaction rolls back, and the count with it.
      long long liked_at = 0;
      session << (database_.dialect() == Dialect::Sqlite ? kSelectLikeTimeSqlite
                                                         : kSelectLikeTimeMysql),
          soci::into(liked_at), soci::use(user_id), soci::use(content_type), soci::use(object_key);
      if (!session.got_data()) throw std::runtime_error("a duplicate like vanished");
      return Result{domain::Like{type, object_id, user, liked_at}, false};
    }
    if (notify) insert_notification(session, database_.dialect(), *notify, inserted_at);
    transaction.commit();
    return Result{domain::Like{type, object_id, user, inserted_at}, true};
  });
}

bool SqlLikeRepository::remove(domain::ContentType type, std::int64_t object_id,
                               domain::UserId user) {
  if (!likeable(type)) return false;
  return run_transaction(database_, [&](soci::session& session) {
    WriteTransaction transaction(session, database_.dialect());
    std::vector<long long> object{object_id};
    if (execute_counted(session, lower_likes_sql(type), object) == 0) return false;
    std::vector<long long> like{user, static_cast<long long>(type), object_id};
    // Not liked: the transaction rolls back, and the count with it.
    if (execute_counted(session, kDeleteLike, like) == 0) return false;
    transaction.commit();
    return true;
  });
}

std::vector<domain::TimelineItem> SqlLikeRepository::list(domain::ContentType type,
                                                          std::int64_t object_id,
                                                          const domain::TimeRange& range) {
  if (!likeable(type) || range.limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{static_cast<long long>(type), object_id};
    const std::string sql = ranged_query(kSelectLikers, kLikersOrder, range, params);
    return fetch_timeline(session, sql, params);
  });
}

std::vector<std::int64_t> SqlLikeRepository::liked_among(
    domain::UserId user, domain::ContentType type, const std::vector<std::int64_t>& object_ids) {
  if (!likeable(type) || object_ids.empty()) return {};
  return database_.run([&](soci::session& session) {
    std::vector<std::int64_t> liked;
    for (std::vector<long long>& chunk : id_chunks(distinct_ids(object_ids))) {
      std::vector<long long> params{user, static_cast<long long>(type)};
      params.insert(params.end(), chunk.begin(), chunk.end());
      for (const std::int64_t id :
           fetch_ids(session, with_placeholders(kSelectLikedAmongIn, chunk.size()), params)) {
        liked.push_back(id);
      }
    }
    return liked;
  });
}

}  // namespace chirp::store::sql
