// SqlTweetRepository::remove takes everything that hangs off the tweet with it (SPEC §5.4):
// comments, likes on the tweet and on its comments, and notifications pointing at any of them.
#include <gtest/gtest.h>

#include <vector>

#include "interaction_test_support.hpp"
#include "sql_test_support.hpp"
#include "store/sql/comment_repository.hpp"
#include "store/sql/like_repository.hpp"
#include "store/sql/notification_repository.hpp"
#include "store/sql/tweet_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = kInteractionT0;
constexpr domain::UserId kAuthor = 1;
using domain::ContentType;

class TweetRemovalTest : public BackendTest {
 protected:
  struct Thread {
    domain::Tweet tweet;
    std::vector<domain::Comment> comments;
  };

  // A tweet with comments by users 2 and 3, likes by 4 and 5 on the tweet and on every comment,
  // and the notifications all of that sends.
  Thread busy_tweet(Micros at) {
    SqlCommentRepository comments(database());
    SqlLikeRepository likes(database());
    Thread thread{post_tweet(database(), kAuthor, at), {}};
    for (domain::UserId commenter : {2, 3}) {
      thread.comments.push_back(*comments.create(
          thread.tweet.id, commenter, "reply", at + 10,
          [](const domain::Comment& c) { return comment_notification(c, kAuthor); }));
    }
    for (domain::UserId liker : {4, 5}) {
      EXPECT_TRUE(
          likes
              .create(ContentType::Tweet, thread.tweet.id, liker, at + 20,
                      like_notification(kAuthor, liker, ContentType::Tweet, thread.tweet.id))
              ->created);
      for (const domain::Comment& c : thread.comments) {
        EXPECT_TRUE(likes
                        .create(ContentType::Comment, c.id, liker, at + 30,
                                like_notification(c.user_id, liker, ContentType::Comment, c.id))
                        ->created);
      }
    }
    return thread;
  }

  // Rows that point at the tweet or one of its comments, by table.
  struct Pointing {
    long long comments = 0;
    long long likes = 0;
    long long notifications = 0;
  };
  Pointing pointing_at(const Thread& thread) {
    Pointing found;
    Database& db = database();
    found.comments =
        count_rows(db, "SELECT COUNT(*) FROM comments WHERE tweet_id = :id", thread.tweet.id);
    found.likes =
        count_rows(db, "SELECT COUNT(*) FROM likes WHERE content_type = 2 AND object_id = :id",
                   thread.tweet.id);
    found.notifications = count_rows(
        db, "SELECT COUNT(*) FROM notifications WHERE target_type = 2 AND target_id = :id",
        thread.tweet.id);
    for (const domain::Comment& c : thread.comments) {
      found.likes += count_rows(
          db, "SELECT COUNT(*) FROM likes WHERE content_type = 3 AND object_id = :id", c.id);
      found.notifications += count_rows(
          db, "SELECT COUNT(*) FROM notifications WHERE target_type = 3 AND target_id = :id", c.id);
      found.notifications +=
          count_rows(db, "SELECT COUNT(*) FROM notifications WHERE action_object_id = :id", c.id);
    }
    return found;
  }
};
CHIRP_INSTANTIATE_BACKENDS(TweetRemovalTest);

TEST_P(TweetRemovalTest, RemoveTakesCommentsLikesAndNotificationsAndNothingElse) {
  SqlTweetRepository tweets(database());
  SqlCommentRepository comments(database());
  SqlNotificationRepository notifications(database());
  const Thread doomed = busy_tweet(kT0);
  const Thread kept = busy_tweet(kT0 + 1000);
  notifications.add({kAuthor, 9, "followed you", ContentType::User, kAuthor, std::nullopt}, kT0);
  // A user whose id equals a doomed comment's id: their follow notification is not the comment's.
  notifications.add({9, 8, "followed you", ContentType::User, doomed.comments[0].id, std::nullopt},
                    kT0);

  const Pointing before = pointing_at(doomed);
  EXPECT_EQ(before.comments, 2);
  EXPECT_EQ(before.likes, 6);
  // 2 comment notifications (target tweet, action comment: counted twice), 2 tweet likes, 4 comment
  // likes.
  EXPECT_EQ(before.notifications, 2 * 2 + 2 + 4);
  const Pointing kept_before = pointing_at(kept);
  const long long all_notifications = count_all(database(), "notifications");

  const auto removed = tweets.remove(doomed.tweet.id);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->comments_count, 2);
  EXPECT_EQ(removed->likes_count, 2);

  const Pointing after = pointing_at(doomed);
  EXPECT_EQ(after.comments, 0);
  EXPECT_EQ(after.likes, 0);
  EXPECT_EQ(after.notifications, 0);
  for (const domain::Comment& c : doomed.comments) EXPECT_FALSE(comments.find(c.id).has_value());

  // The other tweet's rows and counters, and unrelated notifications, are untouched.
  const Pointing kept_after = pointing_at(kept);
  EXPECT_EQ(kept_after.comments, kept_before.comments);
  EXPECT_EQ(kept_after.likes, kept_before.likes);
  EXPECT_EQ(kept_after.notifications, kept_before.notifications);
  const auto kept_tweet = tweets.find(kept.tweet.id);
  EXPECT_EQ(kept_tweet->comments_count, 2);
  EXPECT_EQ(kept_tweet->likes_count, 2);
  for (const domain::Comment& c : kept.comments) EXPECT_EQ(comments.find(c.id)->likes_count, 2);
  // 2 comment notifications, 2 tweet likes and 4 comment likes went with the tweet.
  EXPECT_EQ(count_all(database(), "notifications"), all_notifications - 8);
  EXPECT_EQ(notifications.count(9, std::nullopt), 1);
  EXPECT_EQ(count_all(database(), "comments"), 2);
  EXPECT_EQ(count_all(database(), "likes"), 6);

  EXPECT_FALSE(tweets.remove(doomed.tweet.id).has_value());
}

TEST_P(TweetRemovalTest, CommentsAndLikesOnARemovedTweetAreRefused) {
  SqlTweetRepository tweets(database());
  SqlCommentRepository comments(database());
  SqlLikeRepository likes(database());
  const Thread doomed = busy_tweet(kT0);
  ASSERT_TRUE(tweets.remove(doomed.tweet.id).has_value());
  EXPECT_FALSE(comments.create(doomed.tweet.id, 2, "late", kT0 + 99, {}).has_value());
  EXPECT_FALSE(likes.create(ContentType::Tweet, doomed.tweet.id, 6, kT0 + 99, std::nullopt));
  EXPECT_FALSE(
      likes.create(ContentType::Comment, doomed.comments[0].id, 6, kT0 + 99, std::nullopt));
  EXPECT_FALSE(comments.remove(doomed.comments[0].id).has_value());
  EXPECT_EQ(count_all(database(), "comments"), 0);
  EXPECT_EQ(count_all(database(), "likes"), 0);
}

}  // namespace
}  // namespace chirp::store::sql::testing
