#pragma once
// Storage interfaces for tweets, friendships, news feeds, per-user counters and the job outbox.
// store/sql implements them for SQLite and MySQL (and store/kv later for friendships and feeds).
// As in repositories.hpp: chirp::Unavailable for connection failures, chirp::DuplicateKey for
// unique-constraint rejections that the implementation does not resolve itself.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "domain/jobs.hpp"
#include "domain/timeline.hpp"

namespace chirp::domain {

struct NewTweet {
  UserId user_id = 0;
  std::string content;
  std::vector<std::string> photos;  // media paths, in upload order
};

class TweetRepository {
 public:
  virtual ~TweetRepository() = default;
  // In ONE transaction: inserts the tweet (created_at = `created_at`, moved one microsecond later
  // as often as needed until no other tweet has it), its photos, raises the author's tweets_count,
  // and inserts `outbox_job(tweet)` into the outbox — so a tweet never exists without its fan-out.
  virtual Tweet create(const NewTweet& tweet, Micros created_at,
                       const std::function<Job(const Tweet&)>& outbox_job) = 0;
  virtual std::optional<Tweet> find(TweetId id) = 0;
  // One query for the tweets and one for their photos, whatever the count; missing ids are absent;
  // any order.
  virtual std::vector<Tweet> find_many(const std::vector<TweetId>& ids) = 0;
  // The user's tweets in `range` (id = tweet id), newest first.
  virtual std::vector<TimelineItem> list_by_user(UserId user, const TimeRange& range) = 0;
  // Tweets of any of `users` in `range`, newest first (read-time merge of celebrity authors).
  virtual std::vector<TimelineItem> list_by_users(const std::vector<UserId>& users,
                                                  const TimeRange& range) = 0;
  // False when the tweet does not exist.
  virtual bool update_content(TweetId id, std::string_view content, Micros updated_at) = 0;
  // In one transaction: deletes the tweet, its photo rows, its comments, the likes on the tweet and
  // on its comments, and every notification pointing at the tweet or one of its comments (as target
  // or action object); lowers the author's tweets_count. Returns the deleted tweet (with its photo
  // paths, for the media store), nullopt when absent.
  virtual std::optional<Tweet> remove(TweetId id) = 0;
};

class FriendshipRepository {
 public:
  virtual ~FriendshipRepository() = default;
  // Creates from→to unless it exists, raising from's followings_count and to's followers_count in
  // the same transaction. created_at is moved later by a microsecond while it clashes with another
  // follow of `from` or of `to` (lists never hold two equal times). nullopt when it already existed
  // (also when a concurrent duplicate won the race).
  virtual std::optional<Friendship> create(UserId from, UserId to, Micros created_at) = 0;
  // Removes it and lowers both counts in one transaction; false when there was nothing to remove.
  virtual bool remove(UserId from, UserId to) = 0;
  virtual bool exists(UserId from, UserId to) = 0;
  // The subset of `candidates` that `from` follows — one query (has_followed for a whole page).
  virtual std::vector<UserId> followed_among(UserId from, const std::vector<UserId>& candidates) = 0;
  // The subset of `candidates` that follow `to` — one query (fan-out batches skip unfollowers).
  virtual std::vector<UserId> followers_among(UserId to, const std::vector<UserId>& candidates) = 0;
  // Followers of `to` (id = follower), newest follow first.
  virtual std::vector<TimelineItem> followers(UserId to, const TimeRange& range) = 0;
  // Users `from` follows (id = followed user), newest follow first.
  virtual std::vector<TimelineItem> followings(UserId from, const TimeRange& range) = 0;
  // Follower ids of `to` greater than `after_id`, ascending, at most `limit`: fan-out walks the
  // followers in id order so a re-run job produces the same batches.
  virtual std::vector<UserId> follower_ids_after(UserId to, UserId after_id, std::size_t limit) = 0;
};

class NewsfeedRepository {
 public:
  virtual ~NewsfeedRepository() = default;
  // Bulk insert; entries whose (user_id, tweet_id) already exists are skipped (idempotent fan-out).
  virtual void add(const std::vector<FeedEntry>& entries) = 0;
  // The user's feed in `range` (id = tweet id, created_at = the tweet's time), newest first.
  virtual std::vector<TimelineItem> list(UserId user, const TimeRange& range) = 0;
  // Every feed row of the tweet (the tweet was deleted).
  virtual void remove_tweet(TweetId tweet) = 0;
  // Every row of `user`'s feed whose author is `author` (unfollow cleanup).
  virtual void remove_author(UserId user, UserId author) = 0;
};

class UserStatsRepository {
 public:
  virtual ~UserStatsRepository() = default;
  // Zero counts for a user without a row.
  virtual UserStats get(UserId user) = 0;
  virtual void set_pull_mode(UserId user) = 0;
  // Every user in pull mode (few: only authors past the celebrity threshold).
  virtual std::vector<UserId> pull_mode_users() = 0;
};

struct OutboxRow {
  std::int64_t id = 0;
  Job job;
  int attempts = 0;
};

// Jobs written in the same transaction as the change that caused them. On the embedded stack the
// outbox is also the durable job queue: a row stays until its job has run.
class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  virtual std::int64_t add(const Job& job) = 0;
  // Rows not yet done with id > after_id, oldest first, at most `limit`.
  virtual std::vector<OutboxRow> pending(std::int64_t after_id, std::size_t limit) = 0;
  virtual void mark_done(std::int64_t id) = 0;
  virtual void record_failure(std::int64_t id) = 0;  // attempts + 1
  virtual std::int64_t pending_count() = 0;
};

}  // namespace chirp::domain
