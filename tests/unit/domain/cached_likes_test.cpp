#include "domain/cached_likes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "store/cache/local_object_cache.hpp"

using namespace chirp::domain;

namespace {

struct FakeLikes : LikeRepository {
  std::set<std::pair<UserId, std::int64_t>> rows;
  int queries = 0;
  std::function<void()> during_query;  // runs after the read, before the answer is returned

  std::optional<Result> create(ContentType, std::int64_t object, UserId user, chirp::Micros,
                               const std::optional<NewNotification>&) override {
    bool created = rows.insert({user, object}).second;
    return Result{Like{}, created};
  }
  bool remove(ContentType, std::int64_t object, UserId user) override {
    return rows.erase({user, object}) > 0;
  }
  std::vector<TimelineItem> list(ContentType, std::int64_t, const TimeRange&) override {
    return {};
  }
  std::vector<std::int64_t> liked_among(UserId user, ContentType,
                                        const std::vector<std::int64_t>& ids) override {
    ++queries;
    std::vector<std::int64_t> out;
    for (auto id : ids) {
      if (rows.contains({user, id})) out.push_back(id);
    }
    if (during_query) std::exchange(during_query, nullptr)();
    return out;
  }
};

std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST(CachedLikes, APageIsQueriedOnceThenAnsweredFromTheCache) {
  FakeLikes store;
  chirp::store::cache::LocalObjectCache cache;
  CachedLikeRepository likes(store, cache);
  store.rows = {{7, 2}, {7, 4}, {8, 3}};
  EXPECT_EQ(sorted(likes.liked_among(7, ContentType::Tweet, {1, 2, 3, 4})),
            (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(sorted(likes.liked_among(7, ContentType::Tweet, {1, 2, 3, 4})),
            (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(store.queries, 1);
  // Only the objects not seen before are queried; another user or type has its own markers.
  EXPECT_EQ(sorted(likes.liked_among(7, ContentType::Tweet, {4, 5})),
            (std::vector<std::int64_t>{4}));
  EXPECT_EQ(sorted(likes.liked_among(8, ContentType::Tweet, {3})), (std::vector<std::int64_t>{3}));
  // (The fake ignores types: that it answered {2} means it was asked, not the tweet marker.)
  EXPECT_EQ(likes.liked_among(7, ContentType::Comment, {2}), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(store.queries, 4);
}

TEST(CachedLikes, LikeAndUnlikeChangeTheCachedAnswerAtOnce) {
  FakeLikes store;
  chirp::store::cache::LocalObjectCache cache;
  CachedLikeRepository likes(store, cache);
  EXPECT_TRUE(likes.liked_among(7, ContentType::Tweet, {1}).empty());  // "0" cached
  likes.create(ContentType::Tweet, 1, 7, 0, std::nullopt);
  EXPECT_EQ(likes.liked_among(7, ContentType::Tweet, {1}), (std::vector<std::int64_t>{1}));
  likes.remove(ContentType::Tweet, 1, 7);
  EXPECT_TRUE(likes.liked_among(7, ContentType::Tweet, {1}).empty());
  EXPECT_EQ(store.queries, 1);
}

// A reader that read the store before a like committed must not cache its stale "not liked" over
// the writer's marker.
TEST(CachedLikes, AFillThatReadBeforeALikeNeverHidesIt) {
  FakeLikes store;
  chirp::store::cache::LocalObjectCache cache;
  CachedLikeRepository likes(store, cache);
  store.during_query = [&] { likes.create(ContentType::Tweet, 1, 7, 0, std::nullopt); };
  EXPECT_TRUE(likes.liked_among(7, ContentType::Tweet, {1}).empty());  // read before the like
  EXPECT_EQ(likes.liked_among(7, ContentType::Tweet, {1}), (std::vector<std::int64_t>{1}));
  // And the other way round: an unlike racing a fill that saw the like.
  store.during_query = [&] { likes.remove(ContentType::Tweet, 2, 7); };
  store.rows.insert({7, 2});
  EXPECT_EQ(likes.liked_among(7, ContentType::Tweet, {2}), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(likes.liked_among(7, ContentType::Tweet, {2}).empty());
}

// Likes and unlikes of one pair racing in one process: the flag ends as the store does (writers set
// it in the order they committed).
TEST(CachedLikes, RacingLikesAndUnlikesLeaveTheFlagAsTheStoreHasIt) {
  struct LockedLikes : FakeLikes {
    std::mutex mutex;
    std::optional<Result> create(ContentType t, std::int64_t o, UserId u, chirp::Micros at,
                                 const std::optional<NewNotification>& n) override {
      auto result = [&] {
        std::lock_guard lock(mutex);
        return FakeLikes::create(t, o, u, at, n);
      }();
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // commit → flag: a window
      return result;
    }
    bool remove(ContentType t, std::int64_t o, UserId u) override {
      const bool removed = [&] {
        std::lock_guard lock(mutex);
        return FakeLikes::remove(t, o, u);
      }();
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      return removed;
    }
  };
  for (int round = 0; round < 20; ++round) {
    LockedLikes store;
    chirp::store::cache::LocalObjectCache cache;
    CachedLikeRepository likes(store, cache);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          if ((i + t) % 2 == 0) {
            likes.create(ContentType::Tweet, 1, 7, 0, std::nullopt);
          } else {
            likes.remove(ContentType::Tweet, 1, 7);
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    const bool stored = store.rows.contains({7, 1});
    EXPECT_EQ(!likes.liked_among(7, ContentType::Tweet, {1}).empty(), stored) << "round " << round;
  }
}
