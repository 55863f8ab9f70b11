#include "store/sql/tweet_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "social_test_support.hpp"
#include "sql_test_support.hpp"
#include "store/sql/outbox_repository.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = 1'800'000'000'000'000;

domain::Job fanout_job(const domain::Tweet& tweet) {
  return domain::Job{"fanout", std::to_string(tweet.id) + "@" + std::to_string(tweet.created_at)};
}

class TweetRepositoryTest : public BackendTest {
 protected:
  domain::Tweet post(domain::UserId user, Micros at, std::vector<std::string> photos = {},
                     std::string content = "hello there") {
    SqlTweetRepository tweets(database());
    return tweets.create({user, std::move(content), std::move(photos)}, at, fanout_job);
  }
};
CHIRP_INSTANTIATE_BACKENDS(TweetRepositoryTest);

TEST_P(TweetRepositoryTest, CreateThenFindAndFindManyWithPhotosInOrder) {
  SqlTweetRepository tweets(database());
  // Position order, not path order: "b..." was uploaded before "a...".
  const std::vector<std::string> photos{"photos/b2.png", "photos/a1.jpg", "photos/c3.gif"};
  const std::string content = "Zoë says 🐦 hello";
  const domain::Tweet created = post(7, kT0, photos, content);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.user_id, 7);
  EXPECT_EQ(created.content, content);
  EXPECT_EQ(created.created_at, kT0);
  EXPECT_EQ(created.updated_at, kT0);
  EXPECT_EQ(created.photos, photos);

  const auto found = tweets.find(created.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, created.id);
  EXPECT_EQ(found->user_id, 7);
  EXPECT_EQ(found->content, content);
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->updated_at, kT0);
  EXPECT_EQ(found->likes_count, 0);
  EXPECT_EQ(found->comments_count, 0);
  EXPECT_EQ(found->photos, photos);
  EXPECT_FALSE(tweets.find(created.id + 1000).has_value());

  const domain::Tweet plain = post(8, kT0 + 10);
  const domain::Tweet one_photo = post(7, kT0 + 20, {"photos/only.webp"});
  std::vector<domain::Tweet> many = tweets.find_many({one_photo.id, 999'999, created.id, plain.id});
  ASSERT_EQ(many.size(), 3u);
  std::sort(many.begin(), many.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  EXPECT_EQ(many[0].photos, photos);
  EXPECT_TRUE(many[1].photos.empty());
  EXPECT_EQ(many[1].user_id, 8);
  EXPECT_EQ(many[2].photos, (std::vector<std::string>{"photos/only.webp"}));
  EXPECT_TRUE(tweets.find_many({}).empty());

  // More ids than one bound list holds.
  std::vector<domain::TweetId> lots(1200, 424242);
  lots.push_back(plain.id);
  many = tweets.find_many(lots);
  ASSERT_EQ(many.size(), 1u);
  EXPECT_EQ(many[0].id, plain.id);
}

TEST_P(TweetRepositoryTest, CreateMovesAClashingTimeOneMicrosecondLater) {
  const domain::Tweet first = post(1, kT0);
  const domain::Tweet second = post(2, kT0);  // another author: times are unique globally
  const domain::Tweet third = post(1, kT0);
  EXPECT_EQ(first.created_at, kT0);
  EXPECT_EQ(second.created_at, kT0 + 1);
  EXPECT_EQ(second.updated_at, kT0 + 1);
  EXPECT_EQ(third.created_at, kT0 + 2);
  // A free time is kept even right after a run of taken ones.
  EXPECT_EQ(post(3, kT0 + 5).created_at, kT0 + 5);
  EXPECT_EQ(post(3, kT0 + 3).created_at, kT0 + 3);
  EXPECT_EQ(post(3, kT0 + 3).created_at, kT0 + 4);
  EXPECT_EQ(post(3, kT0 + 3).created_at, kT0 + 6);

  SqlTweetRepository tweets(database());
  EXPECT_EQ(tweets.find(second.id)->created_at, kT0 + 1);
}

TEST_P(TweetRepositoryTest, CreateWritesTheOutboxJobAndRaisesTweetsCount) {
  SqlOutboxRepository outbox(database());
  SqlUserStatsRepository stats(database());
  const domain::Tweet a = post(5, kT0);
  const domain::Tweet b = post(5, kT0);
  post(6, kT0 + 100);
  EXPECT_EQ(stats.get(5).tweets_count, 2);
  EXPECT_EQ(stats.get(6).tweets_count, 1);

  // The job saw the final id and time.
  const auto rows = outbox.pending(0, 10);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].job.kind, "fanout");
  EXPECT_EQ(rows[0].job.payload, std::to_string(a.id) + "@" + std::to_string(kT0));
  EXPECT_EQ(rows[1].job.payload, std::to_string(b.id) + "@" + std::to_string(kT0 + 1));
}

TEST_P(TweetRepositoryTest, CreateLeavesNothingWhenTheOutboxJobFails) {
  SqlTweetRepository tweets(database());
  SqlOutboxRepository outbox(database());
  SqlUserStatsRepository stats(database());
  EXPECT_THROW(tweets.create({9, "doomed tweet", {"photos/x.png"}}, kT0,
                             [](const domain::Tweet&) -> domain::Job {
                               throw std::runtime_error("cannot encode the job");
                             }),
               std::runtime_error);
  EXPECT_TRUE(tweets.list_by_user(9, newest(10)).empty());
  EXPECT_EQ(stats.get(9).tweets_count, 0);
  EXPECT_EQ(outbox.pending_count(), 0);
  // The time is free again and the pool still works.
  EXPECT_EQ(post(9, kT0, {"photos/x.png"}).created_at, kT0);
}

TEST_P(TweetRepositoryTest, ConcurrentCreatesAtOneTimeGetConsecutiveTimes) {
  constexpr int kThreads = 8;
  SqlTweetRepository tweets(database());
  std::vector<Micros> times(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        times[i] = tweets.create({100 + i % 2, "racing tweet", {}}, kT0, fanout_job).created_at;
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(times.begin(), times.end());
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(times[i], kT0 + i);
  SqlUserStatsRepository stats(database());
  EXPECT_EQ(stats.get(100).tweets_count + stats.get(101).tweets_count, kThreads);
}

TEST_P(TweetRepositoryTest, ListByUserPagesNewestFirst) {
  SqlTweetRepository tweets(database());
  std::vector<domain::TweetId> ids;  // oldest first, 10 µs apart
  for (int i = 0; i < 6; ++i) ids.push_back(post(1, kT0 + 10 * i).id);
  post(2, kT0 + 15);  // another author, between them

  EXPECT_EQ(ids_of(tweets.list_by_user(1, newest(20))),
            (std::vector<std::int64_t>{ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]}));
  const auto first_page = tweets.list_by_user(1, newest(2));
  EXPECT_EQ(ids_of(first_page), (std::vector<std::int64_t>{ids[5], ids[4]}));
  EXPECT_EQ(times_of(first_page), (std::vector<Micros>{kT0 + 50, kT0 + 40}));
  // Scrolling down from the last item's time: strictly older.
  EXPECT_EQ(ids_of(tweets.list_by_user(1, older_than(kT0 + 40, 2))),
            (std::vector<std::int64_t>{ids[3], ids[2]}));
  EXPECT_EQ(ids_of(tweets.list_by_user(1, older_than(kT0 + 10, 5))),
            (std::vector<std::int64_t>{ids[0]}));
  EXPECT_TRUE(tweets.list_by_user(1, older_than(kT0, 5)).empty());
  // Pulling to refresh: the newest `limit` strictly newer items, newest first.
  EXPECT_EQ(ids_of(tweets.list_by_user(1, newer_than(kT0 + 10, 20))),
            (std::vector<std::int64_t>{ids[5], ids[4], ids[3], ids[2]}));
  EXPECT_EQ(ids_of(tweets.list_by_user(1, newer_than(kT0 + 10, 2))),
            (std::vector<std::int64_t>{ids[5], ids[4]}));
  EXPECT_TRUE(tweets.list_by_user(1, newer_than(kT0 + 50, 5)).empty());
  // `after` wins over `before`.
  EXPECT_EQ(ids_of(tweets.list_by_user(1, domain::TimeRange{kT0 + 20, kT0 + 30, 10})),
            (std::vector<std::int64_t>{ids[5], ids[4]}));
  EXPECT_TRUE(tweets.list_by_user(1, newest(0)).empty());
  EXPECT_TRUE(tweets.list_by_user(3, newest(10)).empty());
}

TEST_P(TweetRepositoryTest, ListByUsersMergesAuthors) {
  SqlTweetRepository tweets(database());
  const auto a1 = post(1, kT0 + 10).id;
  const auto b1 = post(2, kT0 + 20).id;
  const auto a2 = post(1, kT0 + 30).id;
  const auto c1 = post(3, kT0 + 40).id;
  const auto b2 = post(2, kT0 + 50).id;

  EXPECT_EQ(ids_of(tweets.list_by_users({1, 2}, newest(10))),
            (std::vector<std::int64_t>{b2, a2, b1, a1}));
  EXPECT_EQ(ids_of(tweets.list_by_users({1, 2}, older_than(kT0 + 50, 2))),
            (std::vector<std::int64_t>{a2, b1}));
  EXPECT_EQ(ids_of(tweets.list_by_users({2, 3}, newer_than(kT0 + 20, 10))),
            (std::vector<std::int64_t>{b2, c1}));
  EXPECT_TRUE(tweets.list_by_users({}, newest(10)).empty());

  // More authors than one bound list holds: the chunks' pages are merged.
  std::vector<domain::UserId> many;
  for (domain::UserId u = 1000; u < 2100; ++u) many.push_back(u);
  many.push_back(3);
  many.push_back(1);
  EXPECT_EQ(ids_of(tweets.list_by_users(many, newest(2))), (std::vector<std::int64_t>{c1, a2}));
}

TEST_P(TweetRepositoryTest, UpdateContentSetsTextAndTime) {
  SqlTweetRepository tweets(database());
  const domain::Tweet tweet = post(1, kT0, {"photos/p.png"});
  EXPECT_TRUE(tweets.update_content(tweet.id, "edited 🐦", kT0 + 99));
  auto found = tweets.find(tweet.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->content, "edited 🐦");
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->updated_at, kT0 + 99);
  EXPECT_EQ(found->photos, (std::vector<std::string>{"photos/p.png"}));
  // Identical values still count as found (MySQL reports no changed rows then).
  EXPECT_TRUE(tweets.update_content(tweet.id, "edited 🐦", kT0 + 99));
  EXPECT_FALSE(tweets.update_content(tweet.id + 1000, "nobody", kT0 + 99));
}

TEST_P(TweetRepositoryTest, RemoveReturnsTheTweetWithPhotosAndLowersTheCount) {
  SqlTweetRepository tweets(database());
  SqlUserStatsRepository stats(database());
  const domain::Tweet kept = post(1, kT0, {"photos/k.png"});
  const domain::Tweet doomed = post(1, kT0 + 1, {"photos/d1.png", "photos/d0.png"});
  EXPECT_EQ(stats.get(1).tweets_count, 2);

  const auto removed = tweets.remove(doomed.id);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->id, doomed.id);
  EXPECT_EQ(removed->user_id, 1);
  EXPECT_EQ(removed->content, doomed.content);
  EXPECT_EQ(removed->created_at, kT0 + 1);
  EXPECT_EQ(removed->photos, (std::vector<std::string>{"photos/d1.png", "photos/d0.png"}));
  EXPECT_EQ(stats.get(1).tweets_count, 1);
  EXPECT_FALSE(tweets.find(doomed.id).has_value());
  EXPECT_EQ(ids_of(tweets.list_by_user(1, newest(10))), (std::vector<std::int64_t>{kept.id}));
  EXPECT_EQ(tweets.find(kept.id)->photos, (std::vector<std::string>{"photos/k.png"}));

  EXPECT_FALSE(tweets.remove(doomed.id).has_value());
  EXPECT_EQ(stats.get(1).tweets_count, 1);
  // The removed tweet's time can be used again.
  EXPECT_EQ(post(2, kT0 + 1).created_at, kT0 + 1);
}

}  // namespace
}  // namespace chirp::store::sql::testing
