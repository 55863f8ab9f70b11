#include "store/sql/content_update.hpp"
#include "store/sql/tweet_repository.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "store/sql/bound_list.hpp"
#include "store/sql/outbox_repository.hpp"
#include "store/sql/timeline_query.hpp"
#include "store/sql/transaction.hpp"
#include "store/sql/unique_time.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql {
namespace {

constexpr std::string_view kInsertTweet =
    "INSERT INTO tweets (user_id, content, created_at, updated_at) "
    "VALUES (:user_id, :content, :created_at, :updated_at)";
constexpr std::string_view kInsertPhoto =
    "INSERT INTO tweet_photos (tweet_id, position, path) VALUES (:tweet_id, :position, :path)";
constexpr std::string_view kSelectTweetById =
    "SELECT id, user_id, content, created_at, updated_at, likes_count, comments_count "
    "FROM tweets WHERE id = :id";
// remove() locks the row it is about to delete, so it returns the tweet exactly as deleted; SQLite
// needs no lock (BEGIN IMMEDIATE already holds the write lock) and has no FOR UPDATE.
constexpr std::string_view kSelectTweetForRemovalSqlite = kSelectTweetById;
constexpr std::string_view kSelectTweetForRemovalMysql =
    "SELECT id, user_id, content, created_at, updated_at, likes_count, comments_count "
    "FROM tweets WHERE id = :id FOR UPDATE";
constexpr std::string_view kSelectTweetsByIdIn =  // followed by "(:v0, ...)"
    "SELECT id, user_id, content, created_at, updated_at, likes_count, comments_count "
    "FROM tweets WHERE id IN ";
constexpr std::string_view kSelectPhotosByTweetIdIn =  // followed by "(:v0, ...)" and the order
    "SELECT tweet_id, path FROM tweet_photos WHERE tweet_id IN ";
constexpr std::string_view kPhotoOrder = " ORDER BY tweet_id, position";
// Both lists page through the (user_id, created_at) index, which ends in the primary key id, so
// the tie order needs no sort.
constexpr std::string_view kSelectTweetsOfUser =
    "SELECT id, created_at FROM tweets WHERE user_id = :user_id";
constexpr std::string_view kTweetOrder = "created_at DESC, id DESC";
// The read-time merge of several authors is one UNION ALL of each author's page (the query above,
// wrapped), so every branch reads at most `limit` index entries; "user_id IN (...)" would read
// every tweet of those authors in the range and sort them all.
constexpr std::string_view kSelectFromAuthorPage = "SELECT id, created_at FROM (";
constexpr std::string_view kSelectTweetsOfAuthor =  // followed by the branch number
    "SELECT id, created_at FROM tweets WHERE user_id = :user_id_";
constexpr std::string_view kAuthorPageAlias = ") AS author_";
constexpr std::string_view kUnionAll = " UNION ALL ";
constexpr std::string_view kMergedAuthorsOrder = " ORDER BY created_at DESC, id DESC LIMIT :limit";
// Authors per merged query: 3 bound values each, and SQLite allows 500 terms in a compound SELECT.
constexpr std::size_t kAuthorsPerMergedQuery = 100;
constexpr std::string_view kUpdateContent =
    "UPDATE tweets SET content = :content, updated_at = :updated_at WHERE id = :id";
constexpr std::string_view kCountTweetsById = "SELECT COUNT(*) FROM tweets WHERE id = :id";
constexpr std::string_view kDeletePhotosOfTweet =
    "DELETE FROM tweet_photos WHERE tweet_id = :tweet_id";
constexpr std::string_view kDeleteTweet = "DELETE FROM tweets WHERE id = :id";
// remove() deletes what points at the tweet's comments while the comments still exist: the likes
// on them and the notifications with one as target or action object (2 is ContentType::Tweet, 3
// ContentType::Comment). SQLite runs the subquery once and looks each id up in the index; MariaDB
// (10.11) runs an IN subquery of a single-table DELETE per row of the whole table, so MySQL
// deletes through a join, which reads the (tweet_id, created_at) index and then each id's index.
constexpr std::string_view kDeleteLikesOnCommentsSqlite =
    "DELETE FROM likes WHERE content_type = 3 "
    "AND object_id IN (SELECT id FROM comments WHERE tweet_id = :tweet_id)";
constexpr std::string_view kDeleteLikesOnCommentsMysql =
    "DELETE likes FROM comments JOIN likes "
    "ON likes.content_type = 3 AND likes.object_id = comments.id "
    "WHERE comments.tweet_id = :tweet_id";
constexpr std::string_view kDeleteNotificationsAtCommentsSqlite =
    "DELETE FROM notifications WHERE target_type = 3 "
    "AND target_id IN (SELECT id FROM comments WHERE tweet_id = :tweet_id)";
constexpr std::string_view kDeleteNotificationsAtCommentsMysql =
    "DELETE notifications FROM comments JOIN notifications "
    "ON notifications.target_type = 3 AND notifications.target_id = comments.id "
    "WHERE comments.tweet_id = :tweet_id";
constexpr std::string_view kDeleteNotificationsByCommentsSqlite =
    "DELETE FROM notifications "
    "WHERE action_object_id IN (SELECT id FROM comments WHERE tweet_id = :tweet_id)";
constexpr std::string_view kDeleteNotificationsByCommentsMysql =
    "DELETE notifications FROM comments JOIN notifications "
    "ON notifications.action_object_id = comments.id "
    "WHERE comments.tweet_id = :tweet_id";
constexpr std::string_view kDeleteCommentsOfTweet =
    "DELETE FROM comments WHERE tweet_id = :tweet_id";
constexpr std::string_view kDeleteLikesOnTweet =
    "DELETE FROM likes WHERE content_type = 2 AND object_id = :tweet_id";
constexpr std::string_view kDeleteNotificationsAtTweet =
    "DELETE FROM notifications WHERE target_type = 2 AND target_id = :tweet_id";

// The unique index on tweets.created_at: SQLite names its column, MySQL the index; both
// "created_at".
constexpr std::string_view kTweetTimeKey = "created_at";

// One row of the tweets table in SOCI's exchange types.
struct TweetRow {
  long long id = 0;
  long long user_id = 0;
  std::string content;
  long long created_at = 0;
  long long updated_at = 0;
  long long likes_count = 0;
  long long comments_count = 0;

  template <class Statement>
  void bind_into(Statement& statement) {
    statement, soci::into(id), soci::into(user_id), soci::into(content), soci::into(created_at),
        soci::into(updated_at), soci::into(likes_count), soci::into(comments_count);
  }

  domain::Tweet to_tweet() const {
    return domain::Tweet{id,         user_id,     content,        created_at,
                         updated_at, likes_count, comments_count, {}};
  }
};

std::optional<domain::Tweet> select_tweet(soci::session& session, std::string_view sql,
                                          domain::TweetId id) {
  const long long key = id;
  TweetRow row;
  soci::details::prepare_temp_type query = (session.prepare << sql);
  row.bind_into(query);
  query, soci::use(key);
  soci::statement statement(query);
  if (!statement.execute(true)) return std::nullopt;
  return row.to_tweet();
}

// Fills in the photos of `tweets` (which have none yet), in upload order: one query per chunk.
void attach_photos(soci::session& session, std::vector<domain::Tweet>& tweets) {
  std::unordered_map<domain::TweetId, std::size_t> index_of;
  std::vector<domain::TweetId> ids;
  ids.reserve(tweets.size());
  for (std::size_t i = 0; i < tweets.size(); ++i) {
    index_of.emplace(tweets[i].id, i);
    ids.push_back(tweets[i].id);
  }
  for (std::vector<long long>& chunk : id_chunks(ids)) {
    long long tweet_id = 0;
    std::string path;
    soci::details::prepare_temp_type query =
        (session.prepare << with_placeholders(kSelectPhotosByTweetIdIn, chunk.size(), kPhotoOrder));
    query, soci::into(tweet_id), soci::into(path);
    for (long long& id : chunk) query, soci::use(id);
    soci::statement statement(query);
    statement.execute();
    while (statement.fetch()) tweets[index_of.at(tweet_id)].photos.push_back(path);
  }
}

// Tweets with the given ids, with their photos: two queries per chunk of ids.
std::vector<domain::Tweet> select_tweets(soci::session& session,
                                         const std::vector<domain::TweetId>& ids) {
  std::vector<domain::Tweet> tweets;
  for (std::vector<long long>& chunk : id_chunks(ids)) {
    TweetRow row;
    soci::details::prepare_temp_type query =
        (session.prepare << with_placeholders(kSelectTweetsByIdIn, chunk.size()));
    row.bind_into(query);
    for (long long& id : chunk) query, soci::use(id);
    soci::statement statement(query);
    statement.execute();
    while (statement.fetch()) tweets.push_back(row.to_tweet());
  }
  if (!tweets.empty()) attach_photos(session, tweets);
  return tweets;
}

// The newest items in `range` among the tweets of `authors`, as one query.
std::vector<domain::TimelineItem> select_merged_authors(soci::session& session,
                                                        std::span<const domain::UserId> authors,
                                                        const domain::TimeRange& range) {
  std::string sql;
  std::vector<long long> params;
  for (std::size_t i = 0; i < authors.size(); ++i) {
    if (i != 0) sql += kUnionAll;
    const std::string branch = std::to_string(i);
    sql += kSelectFromAuthorPage;
    params.push_back(authors[i]);
    sql += ranged_query(std::string(kSelectTweetsOfAuthor) + branch, kTweetOrder, range, params,
                        "_" + branch);
    sql += kAuthorPageAlias;
    sql += branch;
  }
  sql += kMergedAuthorsOrder;
  params.push_back(static_cast<long long>(range.limit));
  return fetch_timeline(session, sql, params);
}

}  // namespace

domain::Tweet SqlTweetRepository::create(
    const domain::NewTweet& tweet, Micros created_at,
    const std::function<domain::Job(const domain::Tweet&)>& outbox_job) {
  return run_transaction(database_, [&](soci::session& session) {
    WriteTransaction transaction(session, database_.dialect());
    const long long user_id = tweet.user_id;
    const long long inserted_at = insert_at_free_time(
        created_at,
        [&](long long at) {
          session << kInsertTweet, soci::use(user_id), soci::use(tweet.content), soci::use(at),
              soci::use(at);
        },
        [](const std::string& key) { return key == kTweetTimeKey; });
    long long id = 0;
    if (!session.get_last_insert_id("tweets", id)) {
      throw std::runtime_error("the database did not report the new tweet's id");
    }
    for (std::size_t i = 0; i < tweet.photos.size(); ++i) {
      const int position = static_cast<int>(i);
      session << kInsertPhoto, soci::use(id), soci::use(position), soci::use(tweet.photos[i]);
    }
    add_to_user_counter(session, database_.dialect(), tweet.user_id, UserCounter::Tweets, 1);
    domain::Tweet created{id, tweet.user_id, tweet.content, inserted_at, inserted_at, 0,
                          0,  tweet.photos};
    insert_outbox_job(session, outbox_job(created));
    transaction.commit();
    return created;
  });
}

std::optional<domain::Tweet> SqlTweetRepository::find(domain::TweetId id) {
  return database_.run([&](soci::session& session) -> std::optional<domain::Tweet> {
    std::vector<domain::Tweet> tweets = select_tweets(session, {id});
    if (tweets.empty()) return std::nullopt;
    return std::move(tweets.front());
  });
}

std::vector<domain::Tweet> SqlTweetRepository::find_many(const std::vector<domain::TweetId>& ids) {
  if (ids.empty()) return {};
  return database_.run(
      [&](soci::session& session) { return select_tweets(session, distinct_ids(ids)); });
}

std::vector<domain::TimelineItem> SqlTweetRepository::list_by_user(domain::UserId user,
                                                                   const domain::TimeRange& range) {
  if (range.limit == 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{user};
    const std::string sql = ranged_query(kSelectTweetsOfUser, kTweetOrder, range, params);
    return fetch_timeline(session, sql, params);
  });
}

std::vector<domain::TimelineItem> SqlTweetRepository::list_by_users(
    const std::vector<domain::UserId>& users, const domain::TimeRange& range) {
  if (users.empty() || range.limit == 0) return {};
  const std::vector<domain::UserId> authors = distinct_ids(users);
  return database_.run([&](soci::session& session) {
    const std::span<const domain::UserId> all(authors);
    std::vector<domain::TimelineItem> items;
    for (std::size_t start = 0; start < all.size(); start += kAuthorsPerMergedQuery) {
      const auto chunk = all.subspan(start, std::min(kAuthorsPerMergedQuery, all.size() - start));
      for (const domain::TimelineItem& item : select_merged_authors(session, chunk, range)) {
        items.push_back(item);
      }
    }
    keep_newest(items, range.limit);
    return items;
  });
}

bool SqlTweetRepository::update_content(domain::TweetId id, std::string_view content,
                                        Micros updated_at) {
  return database_.run([&](soci::session& session) {
    return update_text_row(session, kUpdateContent, kCountTweetsById, id, content, updated_at);
  });
}

std::optional<domain::Tweet> SqlTweetRepository::remove(domain::TweetId id) {
  return run_transaction(database_, [&](soci::session& session) -> std::optional<domain::Tweet> {
    WriteTransaction transaction(session, database_.dialect());
    std::optional<domain::Tweet> tweet =
        select_tweet(session,
                     database_.dialect() == Dialect::Sqlite ? kSelectTweetForRemovalSqlite
                                                            : kSelectTweetForRemovalMysql,
                     id);
    if (!tweet) return std::nullopt;
    std::vector<domain::Tweet> removed{std::move(*tweet)};
    attach_photos(session, removed);
    const long long key = id;
    const bool sqlite = database_.dialect() == Dialect::Sqlite;
    session << (sqlite ? kDeleteLikesOnCommentsSqlite : kDeleteLikesOnCommentsMysql),
        soci::use(key);
    session << (sqlite ? kDeleteNotificationsAtCommentsSqlite
                       : kDeleteNotificationsAtCommentsMysql),
        soci::use(key);
    session << (sqlite ? kDeleteNotificationsByCommentsSqlite
                       : kDeleteNotificationsByCommentsMysql),
        soci::use(key);
    session << kDeleteCommentsOfTweet, soci::use(key);
    session << kDeleteLikesOnTweet, soci::use(key);
    session << kDeleteNotificationsAtTweet, soci::use(key);
    session << kDeletePhotosOfTweet, soci::use(key);
    session << kDeleteTweet, soci::use(key);
    add_to_user_counter(session, database_.dialect(), removed.front().user_id, UserCounter::Tweets,
                        -1);
    transaction.commit();
    return std::move(removed.front());
  });
}

}  // namespace chirp::store::sql
