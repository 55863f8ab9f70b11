#include "domain/cached_friendships.hpp"

#include <gtest/gtest.h>

#include "social_fakes.hpp"
#include "store/cache/local_object_cache.hpp"

using namespace chirp::domain;

namespace {

// Counts the store reads the cache should save.
struct CountingFriendships : chirp::testing::FakeFriendships {
  int among_queries = 0;
  std::vector<UserId> followed_among(UserId from, const std::vector<UserId>& c) override {
    ++among_queries;
    return chirp::testing::FakeFriendships::followed_among(from, c);
  }
};

}  // namespace

TEST(CachedFriendships, FollowedAmongAndExistsAreAnsweredFromFlagsAfterTheFirstRead) {
  CountingFriendships store;
  chirp::store::cache::LocalObjectCache cache;
  CachedFriendshipRepository friendships(store, cache);
  store.pairs = {{1, 2}, {1, 4}};
  EXPECT_EQ(friendships.followed_among(1, {2, 3, 4}), (std::vector<UserId>{2, 4}));
  EXPECT_EQ(friendships.followed_among(1, {2, 3, 4}), (std::vector<UserId>{2, 4}));
  EXPECT_TRUE(friendships.exists(1, 2));
  EXPECT_FALSE(friendships.exists(1, 3));
  EXPECT_EQ(store.among_queries, 1);
}

TEST(CachedFriendships, FollowAndUnfollowChangeTheFlagsAtOnce) {
  CountingFriendships store;
  chirp::store::cache::LocalObjectCache cache;
  CachedFriendshipRepository friendships(store, cache);
  EXPECT_FALSE(friendships.exists(1, 2));  // "no" cached
  ASSERT_TRUE(friendships.create(1, 2, 100));
  EXPECT_TRUE(friendships.exists(1, 2));
  EXPECT_FALSE(friendships.create(1, 2, 200));  // a repeated follow keeps the flag
  EXPECT_TRUE(friendships.exists(1, 2));
  EXPECT_TRUE(friendships.remove(1, 2));
  EXPECT_FALSE(friendships.exists(1, 2));
  EXPECT_EQ(store.among_queries, 1);
  // Fan-out's reads go to the store.
  store.pairs.insert({3, 2});
  EXPECT_EQ(friendships.followers_among(2, {1, 3}), (std::vector<UserId>{3}));
  EXPECT_EQ(friendships.follower_ids_after(2, 0, 10), (std::vector<UserId>{3}));
}
