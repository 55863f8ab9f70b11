#include "domain/cached_likes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
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
