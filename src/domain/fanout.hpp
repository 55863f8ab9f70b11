#pragma once
// Runs the background jobs of the push-model feed (DESIGN §5.3). Every handler is idempotent: the
// queue delivers at least once, and a re-run never duplicates a feed row.
#include <cstddef>
#include <cstdint>

#include "domain/caches.hpp"
#include "domain/jobs.hpp"
#include "domain/social_repositories.hpp"

namespace chirp::domain {

struct FanoutSettings {
  std::int64_t celebrity_threshold = 10000;  // more followers than this: pulled at read time
  std::size_t batch_size = 1000;             // followers per batch job
  std::size_t backfill_tweets = 20;          // a new follow brings this many recent tweets
};

struct FanoutDependencies {
  TweetRepository& tweets;
  FriendshipRepository& friendships;
  NewsfeedRepository& newsfeeds;
  UserStatsRepository& stats;
  TimelineCache& timelines;
  JobQueue& jobs;
};

class FanoutService {
 public:
  FanoutService(FanoutDependencies deps, FanoutSettings settings) : d_(deps), s_(settings) {}

  // Dispatches on job.kind. Throws on a store failure (the job is retried) and on an unknown kind
  // or malformed payload.
  void run(const Job& job);

  const FanoutSettings& settings() const { return s_; }

 private:
  void fanout_tweet(const Job& job);
  void fanout_batch(const Job& job);
  void follow_backfill(const Job& job);
  void unfollow_cleanup(const Job& job);
  void tweet_deleted(const Job& job);

  FanoutDependencies d_;
  FanoutSettings s_;
};

}  // namespace chirp::domain
