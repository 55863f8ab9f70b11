#pragma once
// Helpers shared by the tests of comments, likes and notifications.
#include <soci/soci.h>

#include <optional>
#include <string>

#include "domain/interaction_repositories.hpp"
#include "sql_test_support.hpp"
#include "store/sql/tweet_repository.hpp"

namespace chirp::store::sql::testing {

constexpr Micros kInteractionT0 = 1'800'000'000'000'000;

inline domain::Tweet post_tweet(Database& database, domain::UserId author, Micros at) {
  SqlTweetRepository tweets(database);
  return tweets.create({author, "a tweet", {}}, at, [](const domain::Tweet& tweet) {
    return domain::Job{"fanout", std::to_string(tweet.id)};
  });
}

// COUNT(*) of a query with one integer parameter, e.g. "SELECT COUNT(*) FROM likes WHERE ...".
inline long long count_rows(Database& database, const std::string& sql, long long value) {
  auto lease = database.acquire();
  long long count = 0;
  *lease << sql, soci::into(count), soci::use(value);
  return count;
}

inline long long count_all(Database& database, const std::string& table) {
  auto lease = database.acquire();
  long long count = 0;
  *lease << "SELECT COUNT(*) FROM " + table, soci::into(count);
  return count;
}

inline domain::NewNotification comment_notification(const domain::Comment& comment,
                                                    domain::UserId tweet_author) {
  return domain::NewNotification{
      tweet_author,     comment.user_id, "commented on your tweet", domain::ContentType::Tweet,
      comment.tweet_id, comment.id};
}

inline domain::NewNotification like_notification(domain::UserId owner, domain::UserId liker,
                                                 domain::ContentType type, std::int64_t object_id) {
  return domain::NewNotification{
      owner,
      liker,
      type == domain::ContentType::Tweet ? "liked your tweet" : "liked your comment",
      type,
      object_id,
      std::nullopt};
}

}  // namespace chirp::store::sql::testing
