#pragma once
// Turns tweet ids into full tweets with their authors, for any list (a user's tweets, a feed): one
// object-cache multi-get for the tweets, the caller's has_liked flags and the authors known from
// earlier pages (domain/tweet_author_hints.hpp), then at most one more multi-get for authors not
// known, and one batched store read per kind of miss — never a query per item.
#include <optional>
#include <vector>

#include "domain/cached_likes.hpp"
#include "domain/caches.hpp"
#include "domain/entities.hpp"
#include "domain/social_repositories.hpp"
#include "domain/timeline.hpp"
#include "domain/tweet_author_hints.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

struct TweetView {
  Tweet tweet;
  UserSummary author;
  bool has_liked = false;  // the caller liked it
};

class TweetLoader {
 public:
  // `cache` is the object cache `users` and `likes` keep their records and flags in, so one
  // multi-get can read all three.
  TweetLoader(TweetRepository& tweets, ObjectCache& cache, UserDirectory& users,
              CachedLikeRepository& likes)
      : tweets_(tweets), cache_(cache), users_(users), likes_(likes) {}

  // Views in the order of `ids`; ids of tweets that no longer exist are skipped.
  std::vector<TweetView> load(const std::vector<TweetId>& ids, std::optional<UserId> caller);
  std::optional<TweetView> load_one(TweetId id, std::optional<UserId> caller);
  // After an edit, a like or a delete: the next read goes to the store.
  // The tweet's author (nullopt: no such tweet), for a write about to change the tweet's record
  // (a like). On a cache miss it reads the store WITHOUT caching what it read: the write's own
  // forget() may already have run for a racing request, and a copy cached now could keep a count
  // that is about to change.
  std::optional<UserId> author_of(TweetId id);
  void forget(TweetId id);

 private:
  TweetRepository& tweets_;
  ObjectCache& cache_;
  UserDirectory& users_;
  CachedLikeRepository& likes_;
  TweetAuthorHints authors_;
};

}  // namespace chirp::domain
