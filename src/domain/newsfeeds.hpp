#pragma once
// The news feed (SPEC §7): the caller's pushed feed rows merged, at read time, with the recent
// tweets of followed authors in pull mode (the hybrid model), so a page looks the same either way.
#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "domain/caches.hpp"
#include "domain/pagination.hpp"
#include "domain/social_repositories.hpp"
#include "domain/timeline_reader.hpp"
#include "domain/tweet_loader.hpp"

namespace chirp::domain {

struct FeedItemView {
  TweetView tweet;
  Micros created_at = 0;  // the tweet's time
};

class NewsfeedService {
 public:
  NewsfeedService(NewsfeedRepository& newsfeeds, TweetRepository& tweets,
                  FriendshipRepository& friendships, UserStatsRepository& stats,
                  TimelineCache& timelines, TweetLoader& loader)
      : newsfeeds_(newsfeeds),
        tweets_(tweets),
        friendships_(friendships),
        stats_(stats),
        loader_(loader),
        reader_(timelines) {}

  Page<FeedItemView> page(UserId user, const PageRequest& request);

 private:
  // Authors in pull mode, re-read at most every few seconds (the list is small and changes rarely).
  std::vector<UserId> pull_mode_authors();

  NewsfeedRepository& newsfeeds_;
  TweetRepository& tweets_;
  FriendshipRepository& friendships_;
  UserStatsRepository& stats_;
  TweetLoader& loader_;
  TimelineReader reader_;

  std::mutex pull_mutex_;
  std::vector<UserId> pull_authors_;
  std::chrono::steady_clock::time_point pull_read_at_{};
};

}  // namespace chirp::domain
