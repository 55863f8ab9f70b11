#include "store/sql/seed_writer.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sql/transaction.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL. Each is followed by "(:p0, :p1, ...), (...)" for the rows.
constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM users";
constexpr std::string_view kInsertUsers =
    "INSERT INTO users (id, username, email, password_hash, is_staff, date_joined) VALUES ";
constexpr std::string_view kInsertProfiles =
    "INSERT INTO profiles (user_id, nickname, avatar) VALUES ";
constexpr std::string_view kInsertUserStats =
    "INSERT INTO user_stats (user_id, followers_count, followings_count, tweets_count, pull_mode) "
    "VALUES ";
constexpr std::string_view kInsertFriendships =
    "INSERT INTO friendships (from_user_id, to_user_id, created_at) VALUES ";
constexpr std::string_view kInsertTweets =
    "INSERT INTO tweets (id, user_id, content, created_at, updated_at, likes_count, "
    "comments_count) VALUES ";
constexpr std::string_view kInsertNewsfeeds =
    "INSERT INTO newsfeeds (user_id, tweet_id, author_id, created_at) VALUES ";
constexpr std::string_view kInsertLikes =
    "INSERT INTO likes (content_type, object_id, user_id, created_at) VALUES ";
constexpr std::string_view kInsertComments =
    "INSERT INTO comments (id, tweet_id, user_id, content, created_at, updated_at) VALUES ";
// A bigger page cache for this one connection: the secondary indexes of newsfeeds and friendships
// are filled in random order. The seed process is short-lived, so nothing else inherits it.
constexpr std::string_view kSqliteLargeCache = "PRAGMA cache_size = -262144";  // 256 MiB

// Values per statement: under SQLite's historical limit of 999 bound values.
constexpr std::size_t kValuesPerStatement = 960;

// Column types of a bulk insert, one letter per column: 'i' integer, 's' text, 'n' null text.
// A prepared multi-row INSERT bound to value buffers (the FeedRowInserter pattern of
// newsfeed_repository.cpp): rows are copied into the buffers and the statement executes again each
// time they are full, without preparing it again; finish() writes the rest with a shorter one.
class BulkInserter {
 public:
  BulkInserter(soci::session& session, std::string_view head, std::string_view columns)
      : session_(session),
        head_(head),
        columns_(columns),
        capacity_(kValuesPerStatement / columns.size()),
        integers_(capacity_ * columns.size()),
        texts_(capacity_ * columns.size()),
        indicators_(capacity_ * columns.size(), soci::i_ok) {
    for (std::size_t i = 0; i < indicators_.size(); ++i) {
      if (columns_[i % columns_.size()] == 'n') indicators_[i] = soci::i_null;
    }
  }

  // Values of the next row, in column order; a value of another type than its column's is a bug.
  void integer(long long value) { integers_[slot('i')] = value; }
  void text(std::string value) { texts_[slot('s')] = std::move(value); }
  void null() { slot('n'); }
  void end_row() {
    if (++rows_ == capacity_) {
      if (!full_) full_ = prepare(capacity_);
      full_->execute(true);
      written_ += static_cast<std::int64_t>(rows_);
      rows_ = next_ = 0;
    }
  }
  // Writes the buffered rows; returns the rows written in all.
  std::int64_t finish() {
    if (rows_ > 0) prepare(rows_)->execute(true);
    written_ += static_cast<std::int64_t>(rows_);
    rows_ = next_ = 0;
    return written_;
  }

 private:
  std::size_t slot(char type) {
    if (columns_[next_ % columns_.size()] != type) {
      throw std::logic_error("bulk insert: column " + std::to_string(next_ % columns_.size()) +
                             " of \"" + head_ + "\" is not of type " + type);
    }
    return next_++;
  }

  std::unique_ptr<soci::statement> prepare(std::size_t rows) {
    std::string sql(head_);
    std::size_t value = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      sql += row == 0 ? "(" : ", (";
      for (std::size_t column = 0; column < columns_.size(); ++column, ++value) {
        if (column != 0) sql += ", ";
        sql += ":p" + std::to_string(value);
      }
      sql += ')';
    }
    soci::details::prepare_temp_type query = (session_.prepare << sql);
    for (std::size_t i = 0; i < rows * columns_.size(); ++i) {
      switch (columns_[i % columns_.size()]) {
        case 'i':
          query, soci::use(integers_[i]);
          break;
        case 's':
          query, soci::use(texts_[i]);
          break;
        default:
          query, soci::use(texts_[i], indicators_[i]);
      }
    }
    return std::make_unique<soci::statement>(query);
  }

  soci::session& session_;
  std::string head_;
  std::string columns_;
  std::size_t capacity_;
  // Never resized: the statements hold references into them. Each value has a slot in both; only
  // the one its column's type names is bound.
  std::vector<long long> integers_;
  std::vector<std::string> texts_;
  std::vector<soci::indicator> indicators_;
  std::unique_ptr<soci::statement> full_;
  std::size_t rows_ = 0, next_ = 0;
  std::int64_t written_ = 0;
};

template <class Rows, class Fill>
std::int64_t insert_all(soci::session& session, std::string_view head, std::string_view columns,
                        const Rows& rows, Fill&& fill) {
  BulkInserter inserter(session, head, columns);
  for (const auto& row : rows) {
    fill(inserter, row);
    inserter.end_row();
  }
  return inserter.finish();
}

// In (from, to) order: two of the four friendships indexes then grow at their end.
template <class Report>
void write_friendships(soci::session& session, const domain::SeedData& data, Report& report) {
  std::vector<const domain::SeedFollow*> follows;
  follows.reserve(data.follows.size());
  for (const auto& f : data.follows) follows.push_back(&f);
  std::sort(follows.begin(), follows.end(), [](const auto* a, const auto* b) {
    return a->from != b->from ? a->from < b->from : a->to < b->to;
  });
  report("friendships",
         insert_all(session, kInsertFriendships, "iii", follows, [](auto& in, const auto* f) {
           in.integer(f->from);
           in.integer(f->to);
           in.integer(f->created_at);
         }));
}

}  // namespace

bool SeedWriter::has_users() {
  return database_.run([](soci::session& session) {
    long long users = 0;
    session << kCountUsers, soci::into(users);
    return users > 0;
  });
}

bool SeedWriter::write(const domain::SeedData& data, const std::string& password_hash,
                       SeedTables tables, const Progress& progress) {
  return run_transaction(database_, [&](soci::session& session) {
    if (database_.dialect() == Dialect::Sqlite) session << kSqliteLargeCache;
    WriteTransaction transaction(session, database_.dialect());
    long long users = 0;
    session << kCountUsers, soci::into(users);
    if (users > 0) return false;
    auto report = [&](std::string_view table, std::int64_t rows) {
      if (progress) progress(table, rows);
    };

    report("users",
           insert_all(session, kInsertUsers, "isssii", data.users, [&](auto& in, const auto& u) {
             in.integer(u.id);
             in.text(u.username);
             in.text(u.email);
             in.text(password_hash);
             in.integer(0);
             in.integer(u.date_joined);
           }));
    report("profiles",
           insert_all(session, kInsertProfiles, "isn", data.users, [](auto& in, const auto& u) {
             in.integer(u.id);
             in.text(u.nickname);
             in.null();
           }));
    report("user_stats",
           insert_all(session, kInsertUserStats, "iiiii", data.users, [](auto& in, const auto& u) {
             in.integer(u.id);
             in.integer(u.followers_count);
             in.integer(u.followings_count);
             in.integer(u.tweets_count);
             in.integer(u.pull_mode ? 1 : 0);
           }));
    if (tables.friendships) write_friendships(session, data, report);
    report("tweets",
           insert_all(session, kInsertTweets, "iisiiii", data.tweets, [](auto& in, const auto& t) {
             in.integer(t.id);
             in.integer(t.author);
             in.text(t.content);
             in.integer(t.created_at);
             in.integer(t.created_at);
             in.integer(t.likes_count);
             in.integer(t.comments_count);
           }));
    if (tables.newsfeeds) {
      report("newsfeeds",
             insert_all(session, kInsertNewsfeeds, "iiii", data.feeds, [](auto& in, const auto& e) {
               in.integer(e.user_id);
               in.integer(e.tweet_id);
               in.integer(e.author_id);
               in.integer(e.created_at);
             }));
    }
    report("likes",
           insert_all(session, kInsertLikes, "iiii", data.likes, [](auto& in, const auto& l) {
             in.integer(static_cast<long long>(domain::ContentType::Tweet));
             in.integer(l.tweet);
             in.integer(l.user);
             in.integer(l.created_at);
           }));
    report("comments", insert_all(session, kInsertComments, "iiisii", data.comments,
                                  [](auto& in, const auto& c) {
                                    in.integer(c.id);
                                    in.integer(c.tweet);
                                    in.integer(c.user);
                                    in.text(c.content);
                                    in.integer(c.created_at);
                                    in.integer(c.created_at);
                                  }));
    transaction.commit();
    return true;
  });
}

}  // namespace chirp::store::sql
