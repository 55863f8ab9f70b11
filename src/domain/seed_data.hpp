#pragma once
// `chirp seed`'s synthetic data set (DESIGN §1), generated in memory and deterministic for a seed:
// users, a power-law follow graph, tweets, news feeds, likes and comments, with every counter
// exact. Pure: the SQL writer (store/sql/seed_writer) only copies these rows into the tables.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/entities.hpp"

namespace chirp::domain {

struct SeedOptions {
  std::int64_t users = 10000;
  std::int64_t follows = 1'000'000;
  std::int64_t tweets = 200'000;
  std::int64_t likes = 100'000;
  std::int64_t comments = 50'000;
  std::size_t feed_size = 200;  // newest feed rows kept per user, like a trimmed timeline
  std::uint64_t seed = 1;
  Micros now = 0;  // the data set ends here
  // Extra follows for benchmark "stars": user i + 1 is followed by star_followers[i] users, the
  // ones right after the stars (ids k + 1 .. k + N for k stars), on top of the power-law follows.
  std::vector<std::int64_t> star_followers;
  // Authors with more followers than this are in pull mode (SPEC §7 hybrid): their tweets are
  // not in the pushed feeds; readers merge them in.
  std::int64_t celebrity_threshold = 10000;
};

// Ids are 1..N in each table, in order of creation time (the seed fills a fresh database).
struct SeedUser {
  UserId id = 0;
  std::string username, email, nickname;
  Micros date_joined = 0;
  std::int64_t followers_count = 0, followings_count = 0, tweets_count = 0;
  bool pull_mode = false;  // followers_count > celebrity_threshold
};

struct SeedFollow {
  UserId from = 0, to = 0;
  Micros created_at = 0;  // unique across all follows
};

struct SeedTweet {
  TweetId id = 0;
  UserId author = 0;
  std::string content;
  Micros created_at = 0;  // unique across all tweets
  std::int64_t likes_count = 0, comments_count = 0;
};

struct SeedLike {
  UserId user = 0;
  TweetId tweet = 0;
  Micros created_at = 0;  // unique across all likes
};

struct SeedComment {
  std::int64_t id = 0;
  TweetId tweet = 0;
  UserId user = 0;
  std::string content;
  Micros created_at = 0;  // unique across all comments
};

struct SeedData {
  std::vector<SeedUser> users;      // users[i].id == i + 1
  std::vector<SeedFollow> follows;  // oldest first
  std::vector<SeedTweet> tweets;    // tweets[i].id == i + 1, oldest first
  // Fan-out as SPEC §7 does it (a tweet is in its author's feed and, unless the author is in pull
  // mode, in every follower's), but only the newest `feed_size` rows of each user's feed are kept:
  // by user, newest first.
  std::vector<FeedEntry> feeds;
  std::vector<SeedLike> likes;
  std::vector<SeedComment> comments;
};

// The usage problem with `options`, or "" (counts must fit the number of users and tweets).
std::string seed_options_error(const SeedOptions& options);

// Throws std::invalid_argument when seed_options_error() is not empty.
SeedData generate_seed_data(const SeedOptions& options);

// "seed_000042": a valid username (SPEC §3.2) for user number `n` (1-based).
std::string seed_username(std::int64_t n);

}  // namespace chirp::domain
