#include "domain/fanout.hpp"

#include <stdexcept>

#include "domain/fanout_jobs.hpp"
#include "domain/timeline_reader.hpp"

namespace chirp::domain {
namespace {

template <class T>
T parsed(std::optional<T> value, const Job& job) {
  if (!value) throw MalformedJob("malformed " + job.kind + " payload: " + job.payload);
  return std::move(*value);
}

}  // namespace

void FanoutService::run(const Job& job) {
  if (job.kind == jobs::kFanoutTweet) return fanout_tweet(job);
  if (job.kind == jobs::kFanoutBatch) return fanout_batch(job);
  if (job.kind == jobs::kFollowBackfill) return follow_backfill(job);
  if (job.kind == jobs::kUnfollowCleanup) return unfollow_cleanup(job);
  if (job.kind == jobs::kTweetDeleted) return tweet_deleted(job);
  throw MalformedJob("unknown job kind " + job.kind);
}

// The main job: the author's own row (again, idempotently), then one batch job per
// `batch_size` followers, walked in id order so a re-run makes the same batches.
void FanoutService::fanout_tweet(const Job& job) {
  auto tweet = parsed(jobs::parse_tweet_ref(job.payload), job);
  d_.newsfeeds.add({FeedEntry{tweet.author_id, tweet.tweet_id, tweet.author_id, tweet.created_at}});

  auto stats = d_.stats.get(tweet.author_id);
  if (stats.pull_mode) return;  // followers merge this author's tweets when they read
  // Crossing the threshold: this tweet is still pushed (readers may not have noticed the switch
  // yet: they refresh the list of pull-mode authors every few seconds); the next ones are pulled.
  if (stats.followers_count > s_.celebrity_threshold) d_.stats.set_pull_mode(tweet.author_id);

  UserId after = 0;
  while (true) {
    auto followers = d_.friendships.follower_ids_after(tweet.author_id, after, s_.batch_size);
    if (followers.empty()) break;
    after = followers.back();
    bool last = followers.size() < s_.batch_size;
    d_.jobs.publish(jobs::fanout_batch({tweet, std::move(followers)}));
    if (last) break;
  }
}

void FanoutService::fanout_batch(const Job& job) {
  auto batch = parsed(jobs::parse_fanout_batch(job.payload), job);
  const auto& tweet = batch.tweet;
  if (!d_.tweets.find(tweet.tweet_id)) return;  // deleted before its fan-out ran
  // Someone may have unfollowed since the main job listed them.
  auto still_following = d_.friendships.followers_among(tweet.author_id, batch.followers);
  std::vector<FeedEntry> rows;
  rows.reserve(still_following.size());
  for (auto follower : still_following) {
    rows.push_back({follower, tweet.tweet_id, tweet.author_id, tweet.created_at});
  }
  d_.newsfeeds.add(rows);
  std::vector<std::string> feeds;
  feeds.reserve(still_following.size());
  for (auto follower : still_following) feeds.push_back(feed_key(follower));
  d_.timelines.add_to_each(feeds, TimelineItem{tweet.tweet_id, tweet.created_at});
}

void FanoutService::follow_backfill(const Job& job) {
  auto pair = parsed(jobs::parse_follow_pair(job.payload), job);
  if (!d_.friendships.exists(pair.follower, pair.followee)) return;  // unfollowed meanwhile
  auto recent = d_.tweets.list_by_user(pair.followee, TimeRange{{}, {}, s_.backfill_tweets});
  std::vector<FeedEntry> rows;
  for (const auto& item : recent) {
    rows.push_back({pair.follower, item.id, pair.followee, item.created_at});
  }
  d_.newsfeeds.add(rows);
  for (const auto& item : recent) d_.timelines.add(feed_key(pair.follower), item);
  // An unfollow whose cleanup ran while we were adding would leave these rows behind: re-check.
  if (!d_.friendships.exists(pair.follower, pair.followee)) {
    d_.newsfeeds.remove_author(pair.follower, pair.followee);
    d_.timelines.invalidate(feed_key(pair.follower));
  }
}

void FanoutService::unfollow_cleanup(const Job& job) {
  auto pair = parsed(jobs::parse_follow_pair(job.payload), job);
  if (d_.friendships.exists(pair.follower, pair.followee)) return;  // followed again meanwhile
  d_.newsfeeds.remove_author(pair.follower, pair.followee);
  d_.timelines.invalidate(feed_key(pair.follower));
  // Followed again while we were removing: that follow's backfill may have run before us and
  // had its rows removed here, so bring them back.
  if (d_.friendships.exists(pair.follower, pair.followee)) {
    d_.jobs.publish(jobs::follow_backfill(pair));
  }
}

// The rows are already gone from the store; this removes the id from followers' cached feeds.
void FanoutService::tweet_deleted(const Job& job) {
  auto tweet = parsed(jobs::parse_tweet_ref(job.payload), job);
  UserId after = 0;
  while (true) {
    auto followers = d_.friendships.follower_ids_after(tweet.author_id, after, s_.batch_size);
    for (auto follower : followers) d_.timelines.remove(feed_key(follower), tweet.tweet_id);
    if (followers.size() < s_.batch_size) break;
    after = followers.back();
  }
  d_.newsfeeds.remove_tweet(tweet.tweet_id);  // rows a racing batch job may have added
}

}  // namespace chirp::domain
