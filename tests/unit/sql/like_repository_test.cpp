#include "store/sql/like_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "interaction_test_support.hpp"
#include "social_test_support.hpp"
#include "sql_test_support.hpp"
#include "store/sql/comment_repository.hpp"
#include "store/sql/notification_repository.hpp"
#include "store/sql/tweet_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = kInteractionT0;
constexpr domain::UserId kAuthor = 1;
using domain::ContentType;

class LikeRepositoryTest : public BackendTest {
 protected:
  std::optional<domain::LikeRepository::Result> like_tweet(domain::TweetId tweet,
                                                           domain::UserId user, Micros at) {
    SqlLikeRepository likes(database());
    return likes.create(ContentType::Tweet, tweet, user, at,
                        like_notification(kAuthor, user, ContentType::Tweet, tweet));
  }
  long long like_rows(ContentType type, std::int64_t object) {
    return count_rows(database(),
                      "SELECT COUNT(*) FROM likes WHERE content_type = " +
                          std::to_string(static_cast<int>(type)) + " AND object_id = :id",
                      object);
  }
};
CHIRP_INSTANTIATE_BACKENDS(LikeRepositoryTest);

TEST_P(LikeRepositoryTest, LikeOnceRaisesTheCountAndNotifiesOnce) {
  SqlLikeRepository likes(database());
  SqlTweetRepository tweets(database());
  SqlNotificationRepository notifications(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);

  const auto first = like_tweet(tweet.id, 2, kT0 + 10);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->like.target_type, ContentType::Tweet);
  EXPECT_EQ(first->like.object_id, tweet.id);
  EXPECT_EQ(first->like.user_id, 2);
  EXPECT_EQ(first->like.created_at, kT0 + 10);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 1);

  // Repeated: the existing like, nothing changes.
  const auto again = like_tweet(tweet.id, 2, kT0 + 99);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->like.created_at, kT0 + 10);
  EXPECT_EQ(again->like.user_id, 2);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 1);
  EXPECT_EQ(like_rows(ContentType::Tweet, tweet.id), 1);

  const auto inbox = notifications.list(kAuthor, std::nullopt, 0, 10);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].verb, "liked your tweet");
  EXPECT_EQ(inbox[0].actor_id, 2);
  EXPECT_EQ(inbox[0].target_type, ContentType::Tweet);
  EXPECT_EQ(inbox[0].target_id, tweet.id);
  EXPECT_FALSE(inbox[0].action_comment_id.has_value());
  EXPECT_EQ(inbox[0].timestamp, kT0 + 10);

  // Cancel and like again: counted again, but not notified again.
  EXPECT_TRUE(likes.remove(ContentType::Tweet, tweet.id, 2));
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 0);
  const auto relike = like_tweet(tweet.id, 2, kT0 + 200);
  ASSERT_TRUE(relike.has_value());
  EXPECT_TRUE(relike->created);
  EXPECT_EQ(relike->like.created_at, kT0 + 200);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 1);
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 1);

  // Without a notification.
  ASSERT_TRUE(likes.create(ContentType::Tweet, tweet.id, 3, kT0 + 300, std::nullopt)->created);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 2);
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 1);
}

TEST_P(LikeRepositoryTest, MissingObjectsAndUsersAreNotLikeable) {
  SqlLikeRepository likes(database());
  SqlNotificationRepository notifications(database());
  EXPECT_FALSE(like_tweet(777, 2, kT0).has_value());
  EXPECT_FALSE(likes.create(ContentType::Comment, 777, 2, kT0, std::nullopt).has_value());
  EXPECT_FALSE(likes.create(ContentType::User, 2, 3, kT0, std::nullopt).has_value());
  EXPECT_EQ(count_all(database(), "likes"), 0);
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), 0);
  EXPECT_FALSE(likes.remove(ContentType::Tweet, 777, 2));
  EXPECT_FALSE(likes.remove(ContentType::User, 2, 3));
  EXPECT_TRUE(likes.list(ContentType::User, 2, newest(10)).empty());
}

TEST_P(LikeRepositoryTest, CommentLikesCountOnTheCommentNotTheTweet) {
  SqlLikeRepository likes(database());
  SqlCommentRepository comments(database());
  SqlTweetRepository tweets(database());
  SqlNotificationRepository notifications(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::Comment comment = *comments.create(tweet.id, 2, "hi", kT0 + 1, {});
  const auto liked = likes.create(ContentType::Comment, comment.id, 3, kT0 + 2,
                                  like_notification(2, 3, ContentType::Comment, comment.id));
  ASSERT_TRUE(liked.has_value());
  EXPECT_TRUE(liked->created);
  EXPECT_EQ(liked->like.target_type, ContentType::Comment);
  EXPECT_EQ(comments.find(comment.id)->likes_count, 1);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 0);
  EXPECT_EQ(notifications.list(2, std::nullopt, 0, 10).at(0).verb, "liked your comment");
  // The same number as a tweet id is another object.
  EXPECT_TRUE(likes.liked_among(3, ContentType::Tweet, {comment.id}).empty());

  EXPECT_TRUE(likes.remove(ContentType::Comment, comment.id, 3));
  EXPECT_FALSE(likes.remove(ContentType::Comment, comment.id, 3));
  EXPECT_EQ(comments.find(comment.id)->likes_count, 0);
}

TEST_P(LikeRepositoryTest, RemoveLowersTheCountOnlyWhenALikeWasRemoved) {
  SqlLikeRepository likes(database());
  SqlTweetRepository tweets(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  ASSERT_TRUE(like_tweet(tweet.id, 2, kT0 + 1)->created);
  ASSERT_TRUE(like_tweet(tweet.id, 3, kT0 + 2)->created);
  EXPECT_FALSE(likes.remove(ContentType::Tweet, tweet.id, 4));  // never liked
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 2);
  EXPECT_TRUE(likes.remove(ContentType::Tweet, tweet.id, 2));
  EXPECT_FALSE(likes.remove(ContentType::Tweet, tweet.id, 2));
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, 1);
  EXPECT_EQ(ids_of(likes.list(ContentType::Tweet, tweet.id, newest(10))),
            (std::vector<std::int64_t>{3}));
}

TEST_P(LikeRepositoryTest, ClashingTimesMoveLaterPerObject) {
  const domain::Tweet a = post_tweet(database(), kAuthor, kT0);
  const domain::Tweet b = post_tweet(database(), kAuthor, kT0 + 1);
  EXPECT_EQ(like_tweet(a.id, 2, kT0 + 5)->like.created_at, kT0 + 5);
  EXPECT_EQ(like_tweet(a.id, 3, kT0 + 5)->like.created_at, kT0 + 6);
  EXPECT_EQ(like_tweet(a.id, 4, kT0 + 5)->like.created_at, kT0 + 7);
  EXPECT_EQ(like_tweet(b.id, 2, kT0 + 5)->like.created_at, kT0 + 5);  // another object's list
  // A repeated like at a clashing time still reports the existing one.
  const auto again = like_tweet(a.id, 3, kT0 + 5);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->like.created_at, kT0 + 6);
}

TEST_P(LikeRepositoryTest, ListPagesNewestFirst) {
  SqlLikeRepository likes(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::Tweet other = post_tweet(database(), kAuthor, kT0 + 1);
  for (domain::UserId user = 10; user < 15; ++user) {
    ASSERT_TRUE(like_tweet(tweet.id, user, kT0 + 100 * user)->created);
  }
  ASSERT_TRUE(like_tweet(other.id, 99, kT0 + 5000)->created);
  const auto all = likes.list(ContentType::Tweet, tweet.id, newest(10));
  EXPECT_EQ(ids_of(all), (std::vector<std::int64_t>{14, 13, 12, 11, 10}));
  EXPECT_EQ(times_of(all),
            (std::vector<Micros>{kT0 + 1400, kT0 + 1300, kT0 + 1200, kT0 + 1100, kT0 + 1000}));
  EXPECT_EQ(ids_of(likes.list(ContentType::Tweet, tweet.id, newest(2))),
            (std::vector<std::int64_t>{14, 13}));
  EXPECT_EQ(ids_of(likes.list(ContentType::Tweet, tweet.id, older_than(kT0 + 1300, 2))),
            (std::vector<std::int64_t>{12, 11}));
  // Newer than a cursor: the newest `limit` of them, newest first.
  EXPECT_EQ(ids_of(likes.list(ContentType::Tweet, tweet.id, newer_than(kT0 + 1000, 2))),
            (std::vector<std::int64_t>{14, 13}));
  EXPECT_EQ(ids_of(likes.list(ContentType::Tweet, tweet.id, newer_than(kT0 + 1200, 10))),
            (std::vector<std::int64_t>{14, 13}));
  EXPECT_TRUE(likes.list(ContentType::Tweet, tweet.id, older_than(kT0 + 1000, 10)).empty());
  EXPECT_TRUE(likes.list(ContentType::Comment, tweet.id, newest(10)).empty());
  EXPECT_TRUE(likes.list(ContentType::Tweet, tweet.id, newest(0)).empty());
}

TEST_P(LikeRepositoryTest, LikedAmongIsTheSubsetInOneCallPerChunk) {
  SqlLikeRepository likes(database());
  std::vector<domain::TweetId> tweets;
  for (int i = 0; i < 4; ++i) tweets.push_back(post_tweet(database(), kAuthor, kT0 + i).id);
  ASSERT_TRUE(like_tweet(tweets[0], 2, kT0)->created);
  ASSERT_TRUE(like_tweet(tweets[2], 2, kT0)->created);
  ASSERT_TRUE(like_tweet(tweets[1], 3, kT0)->created);
  std::vector<std::int64_t> candidates{tweets[3], tweets[2], tweets[1], tweets[0], tweets[2]};
  for (std::int64_t id = 100'000; id < 101'200; ++id) candidates.push_back(id);  // 3 chunks
  std::vector<std::int64_t> liked = likes.liked_among(2, ContentType::Tweet, candidates);
  std::sort(liked.begin(), liked.end());
  EXPECT_EQ(liked, (std::vector<std::int64_t>{tweets[0], tweets[2]}));
  EXPECT_TRUE(likes.liked_among(2, ContentType::Tweet, {}).empty());
  EXPECT_TRUE(likes.liked_among(4, ContentType::Tweet, candidates).empty());
}

// SPEC §9: counters never drift, also under concurrent likes and cancels of the same object.
TEST_P(LikeRepositoryTest, ConcurrentLikesAndCancelsOfOneTweetKeepTheCountExact) {
  constexpr int kThreads = 20;
  constexpr int kRounds = 15;
  SqlTweetRepository tweets(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  std::atomic<int> net{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SqlLikeRepository likes(database());
      const domain::UserId user = 100 + i;
      try {
        for (int round = 0; round < kRounds; ++round) {
          // Everyone asks for the same few times, so time clashes happen all along.
          const auto liked =
              likes.create(ContentType::Tweet, tweet.id, user, kT0 + round,
                           like_notification(kAuthor, user, ContentType::Tweet, tweet.id));
          ASSERT_TRUE(liked.has_value());
          EXPECT_TRUE(liked->created);
          ++net;
          // Odd threads keep their last like.
          if (round == kRounds - 1 && i % 2 == 1) break;
          EXPECT_TRUE(likes.remove(ContentType::Tweet, tweet.id, user));
          --net;
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  const long long rows = like_rows(ContentType::Tweet, tweet.id);
  EXPECT_EQ(rows, kThreads / 2);
  EXPECT_EQ(rows, net.load());
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, rows);
  SqlNotificationRepository notifications(database());
  EXPECT_EQ(notifications.count(kAuthor, std::nullopt), kThreads);  // once per liker
}

// One user's likes and cancels racing with each other (double clicks from two devices).
TEST_P(LikeRepositoryTest, OneUsersRacingLikesAndCancelsKeepTheCountExact) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  SqlTweetRepository tweets(database());
  SqlCommentRepository comments(database());
  const domain::Tweet tweet = post_tweet(database(), kAuthor, kT0);
  const domain::Comment comment = *comments.create(tweet.id, 3, "hi", kT0 + 1, {});
  std::atomic<int> created{0};
  std::atomic<int> removed{0};
  std::atomic<int> repeated{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SqlLikeRepository likes(database());
      const ContentType type = i % 4 < 2 ? ContentType::Tweet : ContentType::Comment;
      const std::int64_t object = type == ContentType::Tweet ? tweet.id : comment.id;
      try {
        for (int round = 0; round < kRounds; ++round) {
          if (i % 2 == 0) {
            const auto liked = likes.create(type, object, 7, kT0 + round, std::nullopt);
            ASSERT_TRUE(liked.has_value());
            ++(liked->created ? created : repeated);
          } else if (likes.remove(type, object, 7)) {
            ++removed;
          }
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  const long long tweet_rows = like_rows(ContentType::Tweet, tweet.id);
  const long long comment_rows = like_rows(ContentType::Comment, comment.id);
  EXPECT_LE(tweet_rows, 1);
  EXPECT_LE(comment_rows, 1);
  EXPECT_EQ(tweets.find(tweet.id)->likes_count, tweet_rows);
  EXPECT_EQ(comments.find(comment.id)->likes_count, comment_rows);
  EXPECT_EQ(created.load() - removed.load(), tweet_rows + comment_rows);
  EXPECT_EQ(created.load() + repeated.load(), kThreads / 2 * kRounds);
}

}  // namespace
}  // namespace chirp::store::sql::testing
