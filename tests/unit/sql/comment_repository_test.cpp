#include "store/sql/comment_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "interaction_test_support.hpp"
#include "sql_test_support.hpp"
#include "store/sql/like_repository.hpp"
#include "store/sql/notification_repository.hpp"
#include "store/sql/tweet_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = kInteractionT0;
constexpr domain::UserId kAuthor = 1;

class CommentRepositoryTest : public BackendTest {
 protected:
  // A comment by `user` on `tweet` that notifies the tweet's author (kAuthor) unless it is theirs.
  std::optional<domain::Comment> comment(domain::TweetId tweet, domain::UserId user, Micros at,
                                         std::string_view content = "nice") {
    SqlCommentRepository comments(database());
    return comments.create(tweet, user, content, at,
                           [](const domain::Comment& c) -> std::optional<domain::NewNotification> {
                             if (c.user_id == kAuthor) return std::nullopt;
                             return comment_notification(c, kAuthor);
                           });
  }
};
CHIRP_INSTANTIATE_BACKENDS(CommentRepositoryTest);

TEST_P(CommentRepositoryTest, CreateRaisesTheTweetsCountAndNotifiesWithTheComment) {
  SqlCommentRepository comments(database());
  SqlTweetRepository tweets(database());
  SqlNotificationRepository notifications(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);

  const auto created = comment(tweet.id, 2, kT0 + 10, "Zoë 🐦 replies");
  ASSERT_TRUE(created.has_value());
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->tweet_id, tweet.id);
  EXPECT_EQ(created->user_id, 2);
  EXPECT_EQ(created->content, "Zoë 🐦 replies");
  EXPECT_EQ(created->created_at, kT0 + 10);
  EXPECT_EQ(created->updated_at, kT0 + 10);
  EXPECT_EQ(created->likes_count, 0);
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, 1);

  const auto found = comments.find(created->id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->content, "Zoë 🐦 replies");
  EXPECT_EQ(found->created_at, kT0 + 10);

  const auto inbox = notifications.list(kAuthor, std::nullopt, 0, 10);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].actor_id, 2);
  EXPECT_EQ(inbox[0].verb, "commented on your tweet");
  EXPECT_EQ(inbox[0].target_type, domain::ContentType::Tweet);
  EXPECT_EQ(inbox[0].target_id, tweet.id);
  EXPECT_EQ(inbox[0].action_comment_id, created->id);
  EXPECT_TRUE(inbox[0].unread);
  EXPECT_EQ(inbox[0].timestamp, kT0 + 10);

  // Every comment notifies, even the same words by the same user; the author's own does not.
  ASSERT_TRUE(comment(tweet.id, 2, kT0 + 20).has_value());
  ASSERT_TRUE(comment(tweet.id, kAuthor, kT0 + 30).has_value());
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 2);
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, 3);

  // No callback at all is fine too.
  ASSERT_TRUE(comments.create(tweet.id, 3, "quiet", kT0 + 40, {}).has_value());
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 2);
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, 4);
}

TEST_P(CommentRepositoryTest, CreateOnAMissingTweetIsNulloptAndLeavesNothing) {
  SqlNotificationRepository notifications(database());
  EXPECT_FALSE(comment(12345, 2, kT0).has_value());
  EXPECT_EQ(count_all(database(), "comments"), 0);
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 0);
}

TEST_P(CommentRepositoryTest, ClashingTimesMoveLaterWithinATweetOnly) {
  const domain::Tweet first = post_tweet(database(), kAuthor, kT0);
  const domain::Tweet second = post_tweet(database(), kAuthor, kT0 + 1);
  EXPECT_EQ(comment(first.id, 2, kT0 + 5)->created_at, kT0 + 5);
  EXPECT_EQ(comment(first.id, 3, kT0 + 5)->created_at, kT0 + 6);
  EXPECT_EQ(comment(first.id, 4, kT0 + 5)->created_at, kT0 + 7);
  EXPECT_EQ(comment(second.id, 2, kT0 + 5)->created_at, kT0 + 5);  // another tweet's list
}

TEST_P(CommentRepositoryTest, ListByTweetIsOldestFirstAfterACursor) {
  SqlCommentRepository comments(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::Tweet other = post_tweet(database(), kAuthor, kT0 + 1);
  std::vector<domain::CommentId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(comment(tweet.id, 2, kT0 + 100 - 10 * i)->id);
  ASSERT_TRUE(comment(other.id, 2, kT0 + 200).has_value());
  // Created newest first, so oldest first is the reverse.
  std::reverse(ids.begin(), ids.end());

  auto ids_of_comments = [](const std::vector<domain::Comment>& list) {
    std::vector<domain::CommentId> result;
    for (const auto& c : list) result.push_back(c.id);
    return result;
  };
  EXPECT_EQ(ids_of_comments(comments.list_by_tweet(tweet.id, std::nullopt, 10)), ids);
  EXPECT_EQ(ids_of_comments(comments.list_by_tweet(tweet.id, std::nullopt, 2)),
            (std::vector<domain::CommentId>{ids[0], ids[1]}));
  // ids hold the times T0 + 60, 70, 80, 90, 100.
  EXPECT_EQ(ids_of_comments(comments.list_by_tweet(tweet.id, kT0 + 70, 10)),
            (std::vector<domain::CommentId>{ids[2], ids[3], ids[4]}));
  EXPECT_EQ(ids_of_comments(comments.list_by_tweet(tweet.id, kT0 + 60, 1)),
            (std::vector<domain::CommentId>{ids[1]}));
  EXPECT_TRUE(comments.list_by_tweet(tweet.id, kT0 + 100, 10).empty());
  EXPECT_TRUE(comments.list_by_tweet(tweet.id, std::nullopt, 0).empty());
  EXPECT_TRUE(comments.list_by_tweet(999, std::nullopt, 10).empty());
}

TEST_P(CommentRepositoryTest, FindManyReturnsThoseThatExist) {
  SqlCommentRepository comments(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::CommentId a = comment(tweet.id, 2, kT0 + 1)->id;
  const domain::CommentId b = comment(tweet.id, 3, kT0 + 2)->id;
  std::vector<domain::CommentId> wanted{b, a, b, a + 1000};
  for (domain::CommentId missing = 5000; missing < 5600; ++missing) wanted.push_back(missing);
  std::set<domain::CommentId> found;
  for (const auto& c : comments.find_many(wanted)) found.insert(c.id);
  EXPECT_EQ(found, (std::set<domain::CommentId>{a, b}));
  EXPECT_EQ(comments.find_many(wanted).size(), 2u);
  EXPECT_TRUE(comments.find_many({}).empty());
  EXPECT_FALSE(comments.find(a + 1000).has_value());
}

TEST_P(CommentRepositoryTest, UpdateContentSetsTextAndTime) {
  SqlCommentRepository comments(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::Comment created = *comment(tweet.id, 2, kT0 + 1);
  EXPECT_TRUE(comments.update_content(created.id, "edited ✓", kT0 + 50));
  const auto found = comments.find(created.id);
  EXPECT_EQ(found->content, "edited ✓");
  EXPECT_EQ(found->created_at, kT0 + 1);
  EXPECT_EQ(found->updated_at, kT0 + 50);
  EXPECT_TRUE(comments.update_content(created.id, "edited ✓", kT0 + 50));  // identical values
  EXPECT_FALSE(comments.update_content(created.id + 1000, "nobody", kT0 + 50));
}

TEST_P(CommentRepositoryTest, RemoveTakesItsLikesAndNotificationsAndLowersTheCount) {
  SqlCommentRepository comments(database());
  SqlLikeRepository likes(database());
  SqlTweetRepository tweets(database());
  SqlNotificationRepository notifications(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::Comment doomed = *comment(tweet.id, 2, kT0 + 1);
  const domain::Comment kept = *comment(tweet.id, 3, kT0 + 2);
  for (const domain::Comment& c : {doomed, kept}) {
    for (domain::UserId liker : {5, 6}) {
      ASSERT_TRUE(
          likes
              .create(domain::ContentType::Comment, c.id, liker, kT0 + 10,
                      like_notification(c.user_id, liker, domain::ContentType::Comment, c.id))
              ->created);
    }
  }
  ASSERT_TRUE(likes.create(domain::ContentType::Tweet, tweet.id, 5, kT0 + 20, std::nullopt));
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, 2);

  const auto removed = comments.remove(doomed.id);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->id, doomed.id);
  EXPECT_EQ(removed->content, doomed.content);
  EXPECT_EQ(removed->likes_count, 2);
  EXPECT_FALSE(comments.find(doomed.id).has_value());
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, 1);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 1);
  EXPECT_EQ(count_rows(database(),
                       "SELECT COUNT(*) FROM likes WHERE content_type = 3 AND object_id = :id",
                       doomed.id),
            0);
  EXPECT_EQ(
      count_rows(database(),
                 "SELECT COUNT(*) FROM notifications WHERE target_type = 3 AND target_id = :id",
                 doomed.id),
      0);
  EXPECT_EQ(
      count_rows(database(), "SELECT COUNT(*) FROM notifications WHERE action_object_id = :id",
                 doomed.id),
      0);
  EXPECT_EQ(notifications.count(2, std::nullopt), 0);  // the likes of doomed notified its author
  // The other comment and what points at it stay.
  EXPECT_EQ(comments.find(kept.id)->likes_count, 2);
  EXPECT_EQ(
      likes.list(domain::ContentType::Comment, kept.id, {std::nullopt, std::nullopt, 10}).size(),
      2u);
  EXPECT_EQ(notifications.count(3, std::nullopt), 2);        // kept's likes notify its author, 3
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 1);  // kept's comment notification

  EXPECT_FALSE(comments.remove(doomed.id).has_value());
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, 1);
}

TEST_P(CommentRepositoryTest, ConcurrentCommentsAtOneTimeAllCountWithDistinctTimes) {
  constexpr int kThreads = 12;
  constexpr int kEach = 5;
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        for (int n = 0; n < kEach; ++n) EXPECT_TRUE(comment(tweet.id, 10 + i, kT0 + 5).has_value());
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  SqlCommentRepository comments(database());
  SqlTweetRepository tweets(database());
  const auto all = comments.list_by_tweet(tweet.id, std::nullopt, 1000);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].created_at, all[i].created_at);
  EXPECT_EQ(tweets.find(tweet.id)->comments_count, kThreads * kEach);
}

}  // namespace
}  // namespace chirp::store::sql::testing
