#include "domain/fanout_jobs.hpp"

#include <charconv>

namespace chirp::domain::jobs {
namespace {

std::string tweet_fields(const TweetRef& t) {
  return std::to_string(t.tweet_id) + " " + std::to_string(t.author_id) + " " +
         std::to_string(t.created_at);
}

// Splits on single spaces and parses each field as int64.
std::optional<std::vector<std::int64_t>> parse_numbers(std::string_view payload) {
  std::vector<std::int64_t> out;
  while (!payload.empty()) {
    auto space = payload.find(' ');
    auto field = payload.substr(0, space);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
    out.push_back(value);
    if (space == std::string_view::npos) break;
    payload.remove_prefix(space + 1);
  }
  return out;
}

}  // namespace

Job fanout_tweet(const TweetRef& tweet) { return {std::string(kFanoutTweet), tweet_fields(tweet)}; }

Job fanout_batch(const FanoutBatch& batch) {
  std::string payload = tweet_fields(batch.tweet);
  payload.reserve(payload.size() + batch.followers.size() * 8);
  for (auto id : batch.followers) payload.append(" ").append(std::to_string(id));
  return {std::string(kFanoutBatch), std::move(payload)};
}

Job follow_backfill(const FollowPair& p) {
  return {std::string(kFollowBackfill), std::to_string(p.follower) + " " + std::to_string(p.followee)};
}

Job unfollow_cleanup(const FollowPair& p) {
  return {std::string(kUnfollowCleanup), std::to_string(p.follower) + " " + std::to_string(p.followee)};
}

Job tweet_deleted(const TweetRef& tweet) { return {std::string(kTweetDeleted), tweet_fields(tweet)}; }

std::optional<TweetRef> parse_tweet_ref(const std::string& payload) {
  auto n = parse_numbers(payload);
  if (!n || n->size() != 3) return std::nullopt;
  return TweetRef{(*n)[0], (*n)[1], (*n)[2]};
}

std::optional<FanoutBatch> parse_fanout_batch(const std::string& payload) {
  auto n = parse_numbers(payload);
  if (!n || n->size() < 3) return std::nullopt;
  FanoutBatch batch{{(*n)[0], (*n)[1], (*n)[2]}, {n->begin() + 3, n->end()}};
  return batch;
}

std::optional<FollowPair> parse_follow_pair(const std::string& payload) {
  auto n = parse_numbers(payload);
  if (!n || n->size() != 2) return std::nullopt;
  return FollowPair{(*n)[0], (*n)[1]};
}

}  // namespace chirp::domain::jobs
