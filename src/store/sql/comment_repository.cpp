#include "store/sql/content_update.hpp"
#include "store/sql/comment_repository.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

#include "store/sql/bound_list.hpp"
#include "store/sql/notification_repository.hpp"
#include "store/sql/transaction.hpp"
#include "store/sql/unique_time.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL unless named for a dialect.
// create() raises the tweet's count before inserting: the update finds no row when the tweet is
// gone, and it locks the tweet row first, the order SqlTweetRepository::remove locks in too.
constexpr std::string_view kRaiseCommentsCount =
    "UPDATE tweets SET comments_count = comments_count + 1 WHERE id = :tweet_id";
constexpr std::string_view kLowerCommentsCount =
    "UPDATE tweets SET comments_count = comments_count - 1 WHERE id = :tweet_id";
constexpr std::string_view kInsertComment =
    "INSERT INTO comments (tweet_id, user_id, content, created_at, updated_at) "
    "VALUES (:tweet_id, :user_id, :content, :created_at, :updated_at)";
constexpr std::string_view kSelectCommentById =
    "SELECT id, tweet_id, user_id, content, created_at, updated_at, likes_count "
    "FROM comments WHERE id = :id";
// remove() locks the row it is about to delete (after its tweet's), so it returns the comment
// exactly as deleted; SQLite needs no lock (BEGIN IMMEDIATE already holds the write lock) and has
// no FOR UPDATE.
constexpr std::string_view kSelectCommentForRemovalSqlite = kSelectCommentById;
constexpr std::string_view kSelectCommentForRemovalMysql =
    "SELECT id, tweet_id, user_id, content, created_at, updated_at, likes_count "
    "FROM comments WHERE id = :id FOR UPDATE";
constexpr std::string_view kSelectCommentsByIdIn =  // followed by "(:v0, ...)"
    "SELECT id, tweet_id, user_id, content, created_at, updated_at, likes_count "
    "FROM comments WHERE id IN ";
// Oldest first through the unique (tweet_id, created_at) index: times are unique within a tweet.
constexpr std::string_view kSelectCommentsOfTweet =
    "SELECT id, tweet_id, user_id, content, created_at, updated_at, likes_count "
    "FROM comments WHERE tweet_id = :tweet_id ORDER BY created_at LIMIT :limit";
constexpr std::string_view kSelectCommentsOfTweetAfter =
    "SELECT id, tweet_id, user_id, content, created_at, updated_at, likes_count "
    "FROM comments WHERE tweet_id = :tweet_id AND created_at > :after "
    "ORDER BY created_at LIMIT :limit";
constexpr std::string_view kUpdateContent =
    "UPDATE comments SET content = :content, updated_at = :updated_at WHERE id = :id";
constexpr std::string_view kCountCommentsById = "SELECT COUNT(*) FROM comments WHERE id = :id";
// Through the (content_type, object_id, created_at), (target_type, target_id) and
// (action_object_id) indexes. 3 is ContentType::Comment.
constexpr std::string_view kDeleteLikesOfComment =
    "DELETE FROM likes WHERE content_type = 3 AND object_id = :comment_id";
constexpr std::string_view kDeleteNotificationsAtComment =
    "DELETE FROM notifications WHERE target_type = 3 AND target_id = :comment_id";
constexpr std::string_view kDeleteNotificationsByComment =
    "DELETE FROM notifications WHERE action_object_id = :comment_id";
constexpr std::string_view kDeleteComment = "DELETE FROM comments WHERE id = :id";

// The unique (tweet_id, created_at) key: SQLite names its columns, MySQL the index.
bool is_comment_time_key(const std::string& key) {
  return key == "tweet_created" || key == "tweet_id,created_at";
}

// One row of the comments table in SOCI's exchange types.
struct CommentRow {
  long long id = 0;
  long long tweet_id = 0;
  long long user_id = 0;
  std::string content;
  long long created_at = 0;
  long long updated_at = 0;
  long long likes_count = 0;

  template <class Statement>
  void bind_into(Statement& statement) {
    statement, soci::into(id), soci::into(tweet_id), soci::into(user_id), soci::into(content),
        soci::into(created_at), soci::into(updated_at), soci::into(likes_count);
  }

  domain::Comment to_comment() const {
    return domain::Comment{id, tweet_id, user_id, content, created_at, updated_at, likes_count};
  }
};

// Runs a comments query whose parameters are all 64-bit integers.
std::vector<domain::Comment> select_comments(soci::session& session, std::string_view sql,
                                             std::vector<long long>& params) {
  CommentRow row;
  soci::details::prepare_temp_type query = (session.prepare << sql);
  row.bind_into(query);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute();
  std::vector<domain::Comment> comments;
  while (statement.fetch()) comments.push_back(row.to_comment());
  return comments;
}

std::optional<domain::Comment> select_comment(soci::session& session, std::string_view sql,
                                              domain::CommentId id) {
  std::vector<long long> params{id};
  std::vector<domain::Comment> found = select_comments(session, sql, params);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

// Runs an UPDATE or DELETE with one 64-bit parameter; returns the affected row count.
long long execute_for_id(soci::session& session, std::string_view sql, long long id) {
  soci::statement statement = (session.prepare << sql, soci::use(id));
  statement.execute(true);
  return statement.get_affected_rows();
}

}  // namespace

std::optional<domain::Comment> SqlCommentRepository::create(
    domain::TweetId tweet, domain::UserId user, std::string_view content, Micros created_at,
    const std::function<std::optional<domain::NewNotification>(const domain::Comment&)>& notify) {
  return run_transaction(database_, [&](soci::session& session) -> std::optional<domain::Comment> {
    WriteTransaction transaction(session, database_.dialect());
    const long long tweet_id = tweet;
    if (execute_for_id(session, kRaiseCommentsCount, tweet_id) == 0) return std::nullopt;
    const long long user_id = user;
    const std::string text(content);
    const long long inserted_at = insert_at_free_time(
        created_at,
        [&](long long at) {
          session << kInsertComment, soci::use(tweet_id), soci::use(user_id), soci::use(text),
              soci::use(at), soci::use(at);
        },
        is_comment_time_key);
    long long id = 0;
    if (!session.get_last_insert_id("comments", id)) {
      throw std::runtime_error("the database did not report the new comment's id");
    }
    domain::Comment created{id, tweet, user, text, inserted_at, inserted_at, 0};
    if (notify) {
      if (const std::optional<domain::NewNotification> notification = notify(created)) {
        insert_notification(session, database_.dialect(), *notification, inserted_at);
      }
    }
    transaction.commit();
    return created;
  });
}

std::optional<domain::Comment> SqlCommentRepository::find(domain::CommentId id) {
  return database_.run(
      [&](soci::session& session) { return select_comment(session, kSelectCommentById, id); });
}

std::vector<domain::Comment> SqlCommentRepository::find_many(
    const std::vector<domain::CommentId>& ids) {
  if (ids.empty()) return {};
  return database_.run([&](soci::session& session) {
    std::vector<domain::Comment> comments;
    for (std::vector<long long>& chunk : id_chunks(distinct_ids(ids))) {
      for (domain::Comment& comment : select_comments(
               session, with_placeholders(kSelectCommentsByIdIn, chunk.size()), chunk)) {
        comments.push_back(std::move(comment));
      }
    }
    return comments;
  });
}

std::vector<domain::Comment> SqlCommentRepository::list_by_tweet(domain::TweetId tweet,
                                                                 std::optional<Micros> after,
                                                                 std::size_t limit) {
  if (limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{tweet};
    if (after) params.push_back(*after);
    params.push_back(static_cast<long long>(limit));
    return select_comments(session, after ? kSelectCommentsOfTweetAfter : kSelectCommentsOfTweet,
                           params);
  });
}

bool SqlCommentRepository::update_content(domain::CommentId id, std::string_view content,
                                          Micros updated_at) {
  return database_.run([&](soci::session& session) {
    return update_text_row(session, kUpdateContent, kCountCommentsById, id, content, updated_at);
  });
}

std::optional<domain::Comment> SqlCommentRepository::remove(domain::CommentId id) {
  return run_transaction(database_, [&](soci::session& session) -> std::optional<domain::Comment> {
    WriteTransaction transaction(session, database_.dialect());
    // The tweet row is locked (by lowering its count) before the comment's: every writer locks a
    // tweet before its comments, and the comments before their likes, so they cannot deadlock.
    const std::optional<domain::Comment> seen = select_comment(session, kSelectCommentById, id);
    if (!seen || execute_for_id(session, kLowerCommentsCount, seen->tweet_id) == 0) {
      return std::nullopt;
    }
    std::optional<domain::Comment> comment =
        select_comment(session,
                       database_.dialect() == Dialect::Sqlite ? kSelectCommentForRemovalSqlite
                                                              : kSelectCommentForRemovalMysql,
                       id);
    if (!comment) return std::nullopt;  // removed meanwhile: roll the count back
    const long long key = id;
    execute_for_id(session, kDeleteLikesOfComment, key);
    execute_for_id(session, kDeleteNotificationsAtComment, key);
    execute_for_id(session, kDeleteNotificationsByComment, key);
    execute_for_id(session, kDeleteComment, key);
    transaction.commit();
    return comment;
  });
}

}  // namespace chirp::store::sql
