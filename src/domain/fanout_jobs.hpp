#pragma once
// The background jobs of the push-model feed (SPEC §7, DESIGN §5.3) and their payloads. Payloads
// are plain decimal fields separated by spaces; a payload that does not parse is rejected (the job
// fails and is logged), never half-applied.
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "domain/jobs.hpp"

namespace chirp::domain::jobs {

inline constexpr std::string_view kFanoutTweet = "fanout.tweet";      // main job: split followers
inline constexpr std::string_view kFanoutBatch = "fanout.batch";      // insert feed rows for a batch
inline constexpr std::string_view kFollowBackfill = "follow.backfill";
inline constexpr std::string_view kUnfollowCleanup = "unfollow.cleanup";
inline constexpr std::string_view kTweetDeleted = "tweet.deleted";    // clean cached feeds

struct TweetRef {
  TweetId tweet_id = 0;
  UserId author_id = 0;
  Micros created_at = 0;
};

struct FanoutBatch {
  TweetRef tweet;
  std::vector<UserId> followers;
};

struct FollowPair {
  UserId follower = 0;
  UserId followee = 0;
};

Job fanout_tweet(const TweetRef& tweet);
Job fanout_batch(const FanoutBatch& batch);
Job follow_backfill(const FollowPair& pair);
Job unfollow_cleanup(const FollowPair& pair);
Job tweet_deleted(const TweetRef& tweet);

std::optional<TweetRef> parse_tweet_ref(const std::string& payload);
std::optional<FanoutBatch> parse_fanout_batch(const std::string& payload);
std::optional<FollowPair> parse_follow_pair(const std::string& payload);

}  // namespace chirp::domain::jobs
