#include "domain/seed_data.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <queue>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>

namespace chirp::domain {
namespace {

constexpr Micros kDay = 24LL * 3600 * 1'000'000;
// Users joined between a year and a month ago, so every tweet is newer than its author.
constexpr Micros kJoinedFrom = 365 * kDay;
constexpr Micros kJoinedUntil = 30 * kDay;
constexpr Micros kTweetsSpan = 30 * kDay;
// A skewed draw that keeps hitting existing follows falls back to a uniform one.
constexpr int kSkewedAttempts = 64;
constexpr std::size_t kMaxContent = 140;

constexpr std::array<std::string_view, 16> kFirstNames = {
    "Ada",    "Alan",    "Grace", "Linus", "Barbara", "Dennis", "Margaret", "Ken",
    "Edsger", "Frances", "John",  "Radia", "Donald",  "Sophie", "Tim",      "Hedy"};
constexpr std::array<std::string_view, 12> kLastNames = {
    "Lovelace", "Turing",   "Hopper",   "Torvalds", "Liskov", "Ritchie",
    "Hamilton", "Thompson", "Dijkstra", "Allen",    "Knuth",  "Wilson"};
constexpr std::array<std::string_view, 40> kWords = {
    "coffee", "morning", "code",   "release", "bug",     "deploy", "weekend", "music",
    "train",  "rain",    "sunny",  "lunch",   "meeting", "cat",    "dog",     "book",
    "chirp",  "today",   "really", "great",   "new",     "old",    "city",    "park",
    "game",   "team",    "win",    "lost",    "found",   "idea",   "launch",  "ship",
    "review", "pizza",   "tea",    "run",     "bike",    "sleep",  "news",    "hello"};

// Own conversions instead of std::uniform_*_distribution, whose output differs between standard
// libraries: the same --seed gives the same data set everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::int64_t below(std::int64_t n) {                                        // [0, n)
    return std::min(n - 1, static_cast<std::int64_t>(unit() * static_cast<double>(n)));
  }
  // [0, n) with index 0 the most likely: floor(n * u^power).
  std::int64_t skewed(std::int64_t n, int power) {
    double u = unit(), p = u;
    for (int i = 1; i < power; ++i) p *= u;
    return std::min(n - 1, static_cast<std::int64_t>(p * static_cast<double>(n)));
  }
  Micros between(Micros from, Micros to) {  // [from, to), or `from` when the range is empty
    return to > from ? from + below(to - from) : from;
  }

 private:
  std::mt19937_64 engine_;
};

std::string words(Random& random, int min_words, int max_words) {
  const int count = min_words + static_cast<int>(random.below(max_words - min_words + 1));
  std::string text;
  for (int i = 0; i < count; ++i) {
    std::string_view word = kWords[static_cast<std::size_t>(random.below(kWords.size()))];
    if (text.size() + 1 + word.size() > kMaxContent) break;
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

// Orders `rows` by time and moves each clashing time one microsecond past the previous one, so
// that times are unique (SPEC §1.6) whatever the draws were.
template <class Row>
void sort_with_unique_times(std::vector<Row>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.created_at < b.created_at; });
  for (std::size_t i = 1; i < rows.size(); ++i) {
    rows[i].created_at = std::max(rows[i].created_at, rows[i - 1].created_at + 1);
  }
}

void generate_users(const SeedOptions& o, Random& random, SeedData& data) {
  data.users.resize(static_cast<std::size_t>(o.users));
  for (std::int64_t i = 0; i < o.users; ++i) {
    SeedUser& user = data.users[static_cast<std::size_t>(i)];
    user.id = i + 1;
    user.username = seed_username(i + 1);
    user.email = user.username + "@example.com";
    user.nickname =
        std::string(kFirstNames[static_cast<std::size_t>(random.below(kFirstNames.size()))]) + " " +
        std::string(kLastNames[static_cast<std::size_t>(random.below(kLastNames.size()))]);
    user.date_joined = random.between(o.now - kJoinedFrom, o.now - kJoinedUntil);
  }
}

// Star i (user i + 1) gains the users right after the stars as followers, skipping pairs the
// power-law draw already made. `taken` holds from * users + to of every follow so far (0-based).
void add_star_follows(const SeedOptions& o, Random& random,
                      std::unordered_set<std::uint64_t>& taken, SeedData& data) {
  const auto n = static_cast<std::uint64_t>(o.users);
  const auto stars = static_cast<std::int64_t>(o.star_followers.size());
  for (std::int64_t star = 0; star < stars; ++star) {
    const std::int64_t count = o.star_followers[static_cast<std::size_t>(star)];
    for (std::int64_t from = stars; from < stars + count; ++from) {
      if (!taken.insert(static_cast<std::uint64_t>(from) * n + static_cast<std::uint64_t>(star))
               .second) {
        continue;
      }
      const Micros since = std::max(data.users[static_cast<std::size_t>(from)].date_joined,
                                    data.users[static_cast<std::size_t>(star)].date_joined);
      data.follows.push_back({from + 1, star + 1, random.between(since, o.now)});
    }
  }
}

// Followers are uniform; the followed are power-law (floor(users * u^3)), so a few users are
// followed by most and most by a few. No self-follows, no duplicates: a clash draws again.
void generate_follows(const SeedOptions& o, Random& random, SeedData& data) {
  const auto n = o.users;
  std::unordered_set<std::uint64_t> taken;
  std::int64_t star_follows = 0;
  for (const std::int64_t count : o.star_followers) star_follows += count;
  taken.reserve(static_cast<std::size_t>(o.follows + star_follows) * 2);
  data.follows.reserve(static_cast<std::size_t>(o.follows + star_follows));
  while (static_cast<std::int64_t>(data.follows.size()) < o.follows) {
    const std::int64_t from = random.below(n);
    for (int attempt = 0;; ++attempt) {
      const std::int64_t to = attempt < kSkewedAttempts ? random.skewed(n, 3) : random.below(n);
      if (to == from) continue;
      if (!taken
               .insert(static_cast<std::uint64_t>(from) * static_cast<std::uint64_t>(n) +
                       static_cast<std::uint64_t>(to))
               .second) {
        if (attempt > 4 * kSkewedAttempts) break;  // this follower follows nearly everyone
        continue;
      }
      const Micros since = std::max(data.users[static_cast<std::size_t>(from)].date_joined,
                                    data.users[static_cast<std::size_t>(to)].date_joined);
      data.follows.push_back({from + 1, to + 1, random.between(since, o.now)});
      break;
    }
  }
  add_star_follows(o, random, taken, data);
  sort_with_unique_times(data.follows);
  for (const auto& f : data.follows) {
    ++data.users[static_cast<std::size_t>(f.from - 1)].followings_count;
    ++data.users[static_cast<std::size_t>(f.to - 1)].followers_count;
  }
  for (auto& user : data.users) user.pull_mode = user.followers_count > o.celebrity_threshold;
}

// Authors are mildly skewed (floor(users * u^2)); times spread over the last 30 days.
void generate_tweets(const SeedOptions& o, Random& random, SeedData& data) {
  data.tweets.resize(static_cast<std::size_t>(o.tweets));
  for (auto& tweet : data.tweets) {
    tweet.author = random.skewed(o.users, 2) + 1;
    tweet.content = words(random, 3, 24);
    tweet.created_at = random.between(o.now - kTweetsSpan, o.now);
  }
  sort_with_unique_times(data.tweets);
  for (std::size_t i = 0; i < data.tweets.size(); ++i) {
    data.tweets[i].id = static_cast<TweetId>(i) + 1;
    ++data.users[static_cast<std::size_t>(data.tweets[i].author - 1)].tweets_count;
  }
}

// Each user's feed: the newest `feed_size` of their own tweets and their followees' tweets, found
// by merging the per-author lists (ids grow with time, so the greatest id is the newest tweet).
void generate_feeds(const SeedOptions& o, SeedData& data) {
  const auto n = static_cast<std::size_t>(o.users);
  std::vector<std::vector<TweetId>> by_author(n);
  for (const auto& tweet : data.tweets) {
    by_author[static_cast<std::size_t>(tweet.author - 1)].push_back(tweet.id);
  }
  std::vector<std::vector<UserId>> followees(n);
  for (const auto& f : data.follows)
    followees[static_cast<std::size_t>(f.from - 1)].push_back(f.to);

  struct Cursor {
    TweetId tweet;
    std::size_t author;
    std::size_t next;  // index in by_author[author] of the tweet after this one (going back)
  };
  auto older = [](const Cursor& a, const Cursor& b) { return a.tweet < b.tweet; };
  std::vector<Cursor> heap;
  for (std::size_t user = 0; user < n && o.feed_size > 0; ++user) {
    heap.clear();
    auto push_author = [&](std::size_t author) {
      const auto& list = by_author[author];
      if (!list.empty()) heap.push_back({list.back(), author, list.size() - 1});
    };
    push_author(user);
    for (UserId followee : followees[user]) {
      const auto author = static_cast<std::size_t>(followee - 1);
      if (!data.users[author].pull_mode) push_author(author);  // pulled when read
    }
    std::make_heap(heap.begin(), heap.end(), older);
    for (std::size_t kept = 0; kept < o.feed_size && !heap.empty(); ++kept) {
      std::pop_heap(heap.begin(), heap.end(), older);
      Cursor& top = heap.back();
      const SeedTweet& tweet = data.tweets[static_cast<std::size_t>(top.tweet - 1)];
      data.feeds.push_back(
          {static_cast<UserId>(user) + 1, tweet.id, tweet.author, tweet.created_at});
      if (top.next == 0) {
        heap.pop_back();
      } else {
        top.tweet = by_author[top.author][--top.next];
        std::push_heap(heap.begin(), heap.end(), older);
      }
    }
  }
}

// Likers uniform, liked tweets skewed towards the newest (u^2 from the end); one like per user
// and tweet; each like is newer than its tweet.
void generate_likes(const SeedOptions& o, Random& random, SeedData& data) {
  const auto t = static_cast<std::int64_t>(data.tweets.size());
  std::unordered_set<std::uint64_t> taken;
  taken.reserve(static_cast<std::size_t>(o.likes) * 2);
  data.likes.reserve(static_cast<std::size_t>(o.likes));
  while (static_cast<std::int64_t>(data.likes.size()) < o.likes) {
    const std::int64_t user = random.below(o.users);
    const std::int64_t tweet = t - 1 - random.skewed(t, 2);
    if (!taken
             .insert(static_cast<std::uint64_t>(user) * static_cast<std::uint64_t>(t) +
                     static_cast<std::uint64_t>(tweet))
             .second) {
      continue;
    }
    SeedTweet& liked = data.tweets[static_cast<std::size_t>(tweet)];
    ++liked.likes_count;
    data.likes.push_back({user + 1, liked.id, random.between(liked.created_at + 1, o.now)});
  }
  sort_with_unique_times(data.likes);
}

void generate_comments(const SeedOptions& o, Random& random, SeedData& data) {
  const auto t = static_cast<std::int64_t>(data.tweets.size());
  data.comments.resize(static_cast<std::size_t>(o.comments));
  for (auto& comment : data.comments) {
    comment.user = random.below(o.users) + 1;
    SeedTweet& tweet = data.tweets[static_cast<std::size_t>(t - 1 - random.skewed(t, 2))];
    ++tweet.comments_count;
    comment.tweet = tweet.id;
    comment.content = words(random, 1, 12);
    comment.created_at = random.between(tweet.created_at + 1, o.now);
  }
  sort_with_unique_times(data.comments);
  for (std::size_t i = 0; i < data.comments.size(); ++i) {
    data.comments[i].id = static_cast<std::int64_t>(i) + 1;
  }
}

}  // namespace

std::string seed_username(std::int64_t n) {
  char name[32];
  std::snprintf(name, sizeof name, "seed_%06lld", static_cast<long long>(n));
  return name;
}

std::string seed_options_error(const SeedOptions& o) {
  if (o.users < 1 || o.users > 99'999'999) return "--users: expected 1..99999999";
  if (o.follows < 0 || o.follows > o.users * (o.users - 1) / 2) {
    return "--follows: at most half of all possible pairs, users * (users - 1) / 2 (" +
           std::to_string(o.users * (o.users - 1) / 2) + " here)";
  }
  const auto stars = static_cast<std::int64_t>(o.star_followers.size());
  for (const std::int64_t count : o.star_followers) {
    if (count < 0 || count > o.users - stars) {
      return "--star-followers: each count at most the users after the stars (" +
             std::to_string(std::max<std::int64_t>(o.users - stars, 0)) + " here)";
    }
  }
  if (o.tweets < 0) return "--tweets: expected a count";
  // In floating point: users * tweets may not fit an integer.
  if (o.likes < 0 || static_cast<double>(o.likes) >
                         static_cast<double>(o.users) * static_cast<double>(o.tweets) / 2) {
    return "--likes: at most half of users * tweets (" +
           std::to_string(static_cast<long long>(static_cast<double>(o.users) *
                                                 static_cast<double>(o.tweets) / 2)) +
           " here)";
  }
  if (o.comments < 0 || (o.comments > 0 && o.tweets == 0)) return "--comments: needs tweets";
  return "";
}

SeedData generate_seed_data(const SeedOptions& options) {
  if (auto error = seed_options_error(options); !error.empty()) throw std::invalid_argument(error);
  // One engine per part, so changing one count leaves the other parts of the data set as they were.
  SeedData data;
  Random user_random(options.seed * 8 + 1), follow_random(options.seed * 8 + 2),
      tweet_random(options.seed * 8 + 3), like_random(options.seed * 8 + 4),
      comment_random(options.seed * 8 + 5);
  generate_users(options, user_random, data);
  generate_follows(options, follow_random, data);
  generate_tweets(options, tweet_random, data);
  generate_feeds(options, data);
  generate_likes(options, like_random, data);
  generate_comments(options, comment_random, data);
  return data;
}

}  // namespace chirp::domain
