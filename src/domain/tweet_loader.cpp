#include "domain/tweet_loader.hpp"

#include <unordered_map>
#include <unordered_set>

#include "domain/record_codec.hpp"

namespace chirp::domain {

std::vector<TweetView> TweetLoader::load(const std::vector<TweetId>& ids,
                                         std::optional<UserId> caller) {
  std::vector<TweetView> views;
  if (ids.empty()) return views;
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (auto id : ids) keys.push_back(tweet_cache_key(id));
  auto cached = cache_.get_many(keys);

  std::unordered_map<TweetId, Tweet> found;
  std::vector<TweetId> misses;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto tweet = cached[i] ? decode_tweet(*cached[i]) : std::nullopt;
    if (tweet && tweet->id == ids[i])
      found.emplace(ids[i], std::move(*tweet));
    else
      misses.push_back(ids[i]);
  }
  if (!misses.empty()) {
    for (auto& tweet : tweets_.find_many(misses)) {
      cache_.set(tweet_cache_key(tweet.id), encode_tweet(tweet));
      found.emplace(tweet.id, std::move(tweet));
    }
  }

  std::vector<UserId> authors;
  for (const auto& [id, tweet] : found) authors.push_back(tweet.user_id);
  auto users = users_.summaries(authors);

  std::unordered_set<TweetId> liked;
  if (caller && !found.empty()) {
    std::vector<std::int64_t> present;
    for (const auto& [id, tweet] : found) present.push_back(id);
    for (auto id : likes_.liked_among(*caller, ContentType::Tweet, present)) liked.insert(id);
  }

  views.reserve(ids.size());
  for (auto id : ids) {
    auto t = found.find(id);
    if (t == found.end()) continue;
    auto u = users.find(t->second.user_id);
    if (u == users.end()) continue;  // author deleted: the tweet is gone with them
    views.push_back({t->second, u->second, liked.contains(id)});
  }
  return views;
}

std::optional<TweetView> TweetLoader::load_one(TweetId id, std::optional<UserId> caller) {
  auto views = load({id}, caller);
  if (views.empty()) return std::nullopt;
  return std::move(views.front());
}

std::optional<UserId> TweetLoader::author_of(TweetId id) {
  auto cached = cache_.get_many({tweet_cache_key(id)});
  if (auto tweet = cached.front() ? decode_tweet(*cached.front()) : std::nullopt;
      tweet && tweet->id == id) {
    return tweet->user_id;
  }
  auto tweet = tweets_.find(id);  // not cached: see the header
  if (!tweet) return std::nullopt;
  return tweet->user_id;
}

void TweetLoader::forget(TweetId id) {
  cache_.erase(tweet_cache_key(id));
}

}  // namespace chirp::domain
