#pragma once
// Small in-memory stand-ins for the social repositories, enough to unit-test domain rules such as
// fan-out batching without a database (the functional suites run the real stores).
#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "domain/caches.hpp"
#include "domain/jobs.hpp"
#include "domain/social_repositories.hpp"
#include "store/cache/local_object_cache.hpp"

namespace chirp::testing {

using namespace chirp::domain;

// An ObjectCache that counts its multi-gets (round trips), over the in-process one.
struct CountingCache : ObjectCache {
  chirp::store::cache::LocalObjectCache inner;
  int reads = 0;
  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override {
    ++reads;
    return inner.get_many(keys);
  }
  void set(std::string_view k, std::string_view v) override { inner.set(k, v); }
  void add(std::string_view k, std::string_view v) override { inner.add(k, v); }
  void erase(std::string_view k) override { inner.erase(k); }
};

inline std::vector<TimelineItem> apply_range(std::vector<TimelineItem> items, const TimeRange& r) {
  std::sort(items.begin(), items.end(), [](auto& a, auto& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  std::vector<TimelineItem> out;
  for (auto& i : items) {
    if (out.size() == r.limit) break;
    if (in_range(i, r)) out.push_back(i);
  }
  return out;
}

struct FakeTweets : TweetRepository {
  std::map<TweetId, Tweet> rows;
  Tweet create(const NewTweet& t, Micros at, const std::function<Job(const Tweet&)>&) override {
    Tweet tweet{
        static_cast<TweetId>(rows.size() + 1), t.user_id, t.content, at, at, 0, 0, t.photos};
    rows[tweet.id] = tweet;
    return tweet;
  }
  std::optional<Tweet> find(TweetId id) override {
    auto it = rows.find(id);
    return it == rows.end() ? std::nullopt : std::optional(it->second);
  }
  std::vector<Tweet> find_many(const std::vector<TweetId>& ids) override {
    std::vector<Tweet> out;
    for (auto id : ids)
      if (auto t = find(id)) out.push_back(*t);
    return out;
  }
  std::vector<TimelineItem> list_by_user(UserId user, const TimeRange& r) override {
    std::vector<TimelineItem> items;
    for (auto& [id, t] : rows)
      if (t.user_id == user) items.push_back({id, t.created_at});
    return apply_range(items, r);
  }
  std::vector<TimelineItem> list_by_users(const std::vector<UserId>&, const TimeRange&) override {
    return {};
  }
  bool update_content(TweetId, std::string_view, Micros) override { return false; }
  std::optional<Tweet> remove(TweetId id) override {
    auto t = find(id);
    rows.erase(id);
    return t;
  }
};

struct FakeFriendships : FriendshipRepository {
  std::set<std::pair<UserId, UserId>> pairs;  // (from, to)
  std::optional<Friendship> create(UserId from, UserId to, Micros at) override {
    if (!pairs.insert({from, to}).second) return std::nullopt;
    return Friendship{from, to, at};
  }
  bool remove(UserId from, UserId to) override { return pairs.erase({from, to}) > 0; }
  bool exists(UserId from, UserId to) override { return pairs.contains({from, to}); }
  std::vector<UserId> followed_among(UserId from, const std::vector<UserId>& c) override {
    std::vector<UserId> out;
    for (auto id : c)
      if (exists(from, id)) out.push_back(id);
    return out;
  }
  std::vector<UserId> followers_among(UserId to, const std::vector<UserId>& c) override {
    std::vector<UserId> out;
    for (auto id : c)
      if (exists(id, to)) out.push_back(id);
    return out;
  }
  std::vector<TimelineItem> followers(UserId, const TimeRange&) override { return {}; }
  std::vector<TimelineItem> followings(UserId, const TimeRange&) override { return {}; }
  std::vector<UserId> follower_ids_after(UserId to, UserId after, std::size_t limit) override {
    std::vector<UserId> out;
    for (auto& [from, t] : pairs)
      if (t == to && from > after) out.push_back(from);
    std::sort(out.begin(), out.end());
    if (out.size() > limit) out.resize(limit);
    return out;
  }
};

struct FakeNewsfeeds : NewsfeedRepository {
  std::map<std::pair<UserId, TweetId>, FeedEntry> rows;
  int add_calls = 0;
  void add(const std::vector<FeedEntry>& entries) override {
    ++add_calls;
    for (auto& e : entries) rows.emplace(std::pair{e.user_id, e.tweet_id}, e);
  }
  std::vector<TimelineItem> list(UserId user, const TimeRange& r) override {
    std::vector<TimelineItem> items;
    for (auto& [key, e] : rows)
      if (key.first == user) items.push_back({e.tweet_id, e.created_at});
    return apply_range(items, r);
  }
  void remove_tweet(TweetId tweet) override {
    std::erase_if(rows, [&](auto& kv) { return kv.first.second == tweet; });
  }
  void remove_author(UserId user, UserId author) override {
    std::erase_if(
        rows, [&](auto& kv) { return kv.first.first == user && kv.second.author_id == author; });
  }
};

struct FakeStats : UserStatsRepository {
  std::map<UserId, UserStats> rows;
  UserStats get(UserId user) override {
    auto it = rows.find(user);
    return it == rows.end() ? UserStats{user} : it->second;
  }
  void set_pull_mode(UserId user) override {
    rows[user].user_id = user;
    rows[user].pull_mode = true;
  }
  std::vector<UserId> pull_mode_users() override {
    std::vector<UserId> out;
    for (auto& [id, s] : rows)
      if (s.pull_mode) out.push_back(id);
    return out;
  }
};

struct RecordingQueue : JobQueue {
  std::vector<Job> published;
  void publish(const Job& job) override { published.push_back(job); }
};

// A timeline cache that caches nothing: every read goes to the store.
struct NoTimelineCache : TimelineCache {
  std::size_t capacity() const override { return 1000; }
  std::optional<CachedRange> range(std::string_view, const TimeRange&) override { return {}; }
  std::uint64_t fill_ticket(std::string_view) override { return 0; }
  void fill(std::string_view, const std::vector<TimelineItem>&, bool, std::uint64_t) override {}
  void add(std::string_view, const TimelineItem&) override {}
  void remove(std::string_view, std::int64_t) override {}
  void invalidate(std::string_view) override {}
};

}  // namespace chirp::testing
