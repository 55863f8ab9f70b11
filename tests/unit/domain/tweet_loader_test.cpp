#include "domain/tweet_loader.hpp"

#include <gtest/gtest.h>

#include <map>

#include "domain/cached_likes.hpp"
#include "domain/record_codec.hpp"
#include "social_fakes.hpp"
#include "store/cache/local_object_cache.hpp"

using namespace chirp::domain;

namespace {

using chirp::testing::CountingCache;

struct CountingTweets : chirp::testing::FakeTweets {
  int reads = 0;
  std::vector<Tweet> find_many(const std::vector<TweetId>& ids) override {
    ++reads;
    return FakeTweets::find_many(ids);
  }
};

struct Users : UserRepository {
  std::map<UserId, User> rows;
  int reads = 0;
  User create(const NewUser&) override { throw std::logic_error("not used"); }
  std::optional<User> find_by_id(UserId id) override {
    auto it = rows.find(id);
    return it == rows.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<User> find_by_username(std::string_view) override { return std::nullopt; }
  std::optional<User> find_by_email(std::string_view) override { return std::nullopt; }
  std::vector<User> find_many(const std::vector<UserId>& ids) override {
    ++reads;
    std::vector<User> out;
    for (auto id : ids)
      if (auto u = find_by_id(id)) out.push_back(*u);
    return out;
  }
  std::int64_t count() override { return static_cast<std::int64_t>(rows.size()); }
  std::vector<User> list_newest(std::int64_t, std::int64_t) override { return {}; }
};

struct Profiles : ProfileRepository {
  std::map<UserId, Profile> rows;
  std::optional<Profile> find(UserId id) override {
    auto it = rows.find(id);
    return it == rows.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<Profile> find_many(const std::vector<UserId>& ids) override {
    std::vector<Profile> out;
    for (auto id : ids)
      if (auto p = find(id)) out.push_back(*p);
    return out;
  }
  void update(const Profile& p) override { rows[p.user_id] = p; }
};

struct Likes : LikeRepository {
  std::set<std::pair<UserId, std::int64_t>> rows;
  int reads = 0;
  std::optional<Result> create(ContentType, std::int64_t object, UserId user, chirp::Micros,
                               const std::optional<NewNotification>&) override {
    return Result{Like{}, rows.insert({user, object}).second};
  }
  bool remove(ContentType, std::int64_t object, UserId user) override {
    return rows.erase({user, object}) > 0;
  }
  std::vector<TimelineItem> list(ContentType, std::int64_t, const TimeRange&) override {
    return {};
  }
  std::vector<std::int64_t> liked_among(UserId user, ContentType,
                                        const std::vector<std::int64_t>& ids) override {
    ++reads;
    std::vector<std::int64_t> out;
    for (auto id : ids)
      if (rows.contains({user, id})) out.push_back(id);
    return out;
  }
};

// Tweets 1..3 by ada (10), bob (11), ada; bob liked tweet 2 and tweet 3.
struct Stores {
  CountingTweets tweets;
  Users users;
  Profiles profiles;
  Likes likes;
  CountingCache cache;
  UserDirectory directory{users, profiles, cache};
  CachedLikeRepository cached_likes{likes, cache};

  Stores() {
    users.rows[10] = User{10, "ada", "ada@example.com", "", false, 1};
    users.rows[11] = User{11, "bob", "bob@example.com", "", false, 2};
    profiles.rows[10] = Profile{10, "Ada", std::nullopt};
    tweets.rows[1] = Tweet{1, 10, "one", 100, 100, 0, 0, {}};
    tweets.rows[2] = Tweet{2, 11, "two", 200, 200, 1, 0, {}};
    tweets.rows[3] = Tweet{3, 10, "three", 300, 300, 1, 0, {}};
    likes.rows = {{11, 2}, {11, 3}};
  }
  // Reads of any store so far.
  int store_reads() const { return tweets.reads + users.reads + likes.reads; }
};

const std::vector<TweetId> kPage{3, 2, 1};

}  // namespace

// DESIGN §8's hot path: a page whose tweets, authors and flags are cached costs ONE cache round
// trip and no store read.
TEST(TweetLoader, AWarmPageIsOneCacheReadAndNoStoreRead) {
  Stores s;
  TweetLoader loader(s.tweets, s.cache, s.directory, s.cached_likes);
  loader.load(kPage, UserId{11});
  const int reads = s.cache.reads, store_reads = s.store_reads();

  auto views = loader.load(kPage, UserId{11});
  EXPECT_EQ(s.cache.reads, reads + 1);
  EXPECT_EQ(s.store_reads(), store_reads);
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].tweet.id, 3);
  EXPECT_EQ(views[0].author.username, "ada");
  EXPECT_EQ(views[0].author.nickname, "Ada");
  EXPECT_TRUE(views[0].has_liked);
  EXPECT_EQ(views[1].tweet.content, "two");
  EXPECT_EQ(views[1].author.username, "bob");
  EXPECT_TRUE(views[1].has_liked);
  EXPECT_EQ(views[2].author.id, 10);
  EXPECT_FALSE(views[2].has_liked);
}

// Another process (or a restart) knows the tweets but not yet their authors: one more read.
TEST(TweetLoader, AuthorsNotKnownYetCostOneMoreCacheRead) {
  Stores s;
  TweetLoader(s.tweets, s.cache, s.directory, s.cached_likes).load(kPage, UserId{11});
  TweetLoader fresh(s.tweets, s.cache, s.directory, s.cached_likes);
  const int reads = s.cache.reads, store_reads = s.store_reads();
  auto views = fresh.load(kPage, UserId{11});
  EXPECT_EQ(s.cache.reads, reads + 2);
  EXPECT_EQ(s.store_reads(), store_reads);
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[1].author.username, "bob");
  fresh.load(kPage, UserId{11});
  EXPECT_EQ(s.cache.reads, reads + 3);
}

// The hint only decides what is prefetched: the tweet's record says who wrote it.
TEST(TweetLoader, AWrongAuthorHintStillGivesTheRightAuthor) {
  Stores s;
  TweetLoader loader(s.tweets, s.cache, s.directory, s.cached_likes);
  loader.load(kPage, UserId{11});
  // Tweet 1's row now has another author (an id reused after a delete, say).
  s.tweets.rows[1].user_id = 11;
  loader.forget(1);
  auto views = loader.load({1}, UserId{11});
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].author.username, "bob");
}

TEST(TweetLoader, LikesEditsAndProfileChangesShowAtOnce) {
  Stores s;
  TweetLoader loader(s.tweets, s.cache, s.directory, s.cached_likes);
  loader.load(kPage, UserId{11});
  loader.load(kPage, UserId{11});

  s.cached_likes.create(ContentType::Tweet, 1, 11, 0, std::nullopt);
  s.cached_likes.remove(ContentType::Tweet, 2, 11);
  s.tweets.rows[3].content = "three, edited";
  loader.forget(3);
  s.profiles.rows[10].nickname = "Countess";
  s.directory.forget(10);

  auto views = loader.load(kPage, UserId{11});
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].tweet.content, "three, edited");
  EXPECT_EQ(views[0].author.nickname, "Countess");
  EXPECT_FALSE(views[1].has_liked);
  EXPECT_TRUE(views[2].has_liked);
  EXPECT_EQ(views[2].author.nickname, "Countess");
}

TEST(TweetLoader, DeletedTweetsAreSkippedAndAnonymousCallersLikeNothing) {
  Stores s;
  TweetLoader loader(s.tweets, s.cache, s.directory, s.cached_likes);
  s.tweets.rows.erase(2);
  auto views = loader.load(kPage, std::nullopt);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].tweet.id, 3);
  EXPECT_EQ(views[1].tweet.id, 1);
  EXPECT_FALSE(views[0].has_liked);
  EXPECT_EQ(s.likes.reads, 0);
  EXPECT_TRUE(loader.load({}, UserId{11}).empty());
}

// Keys a batch already answered are not read again, a miss included: it goes to the store.
TEST(UserDirectory, SummariesTakeWhatABatchFetched) {
  Stores s;
  s.directory.summaries({11});  // cached
  CacheBatch batch;
  batch.want(user_cache_key(10));  // not cached: a miss
  batch.want(user_cache_key(11));
  batch.fetch(s.cache);
  const int reads = s.cache.reads, user_reads = s.users.reads;
  auto users = s.directory.summaries({10, 11}, &batch);
  EXPECT_EQ(s.cache.reads, reads);
  EXPECT_EQ(s.users.reads, user_reads + 1);
  EXPECT_EQ(users.at(10).nickname, "Ada");
  EXPECT_EQ(users.at(11).username, "bob");
}

// Flags a batch already answered are not read again; unknown ones are asked once and filled.
TEST(CachedLikes, LikedAmongTakesWhatABatchFetched) {
  Stores s;
  CacheBatch batch;
  for (TweetId id : kPage) batch.want(CachedLikeRepository::liked_key(ContentType::Tweet, id, 11));
  batch.fetch(s.cache);
  const int reads = s.cache.reads;
  auto liked = s.cached_likes.liked_among(11, ContentType::Tweet, {3, 2, 1}, &batch);
  EXPECT_EQ(s.cache.reads, reads);
  EXPECT_EQ(s.likes.reads, 1);
  EXPECT_EQ(std::set<std::int64_t>(liked.begin(), liked.end()), (std::set<std::int64_t>{2, 3}));
  liked = s.cached_likes.liked_among(11, ContentType::Tweet, {3, 2, 1});
  EXPECT_EQ(s.likes.reads, 1);  // filled by the first call
  EXPECT_EQ(liked.size(), 2u);
}
