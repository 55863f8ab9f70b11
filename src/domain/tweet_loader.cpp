#include "domain/tweet_loader.hpp"

#include <unordered_map>
#include <unordered_set>

#include "domain/cache_batch.hpp"
#include "domain/record_codec.hpp"

namespace chirp::domain {

std::vector<TweetView> TweetLoader::load(const std::vector<TweetId>& ids,
                                         std::optional<UserId> caller) {
  std::vector<TweetView> views;
  if (ids.empty()) return views;
  // Everything the page will need that can be named before the tweets are read: one multi-get.
  CacheBatch batch;
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (auto id : ids) {
    keys.push_back(tweet_cache_key(id));
    batch.want(keys.back());
    if (caller) batch.want(CachedLikeRepository::liked_key(ContentType::Tweet, id, *caller));
    if (auto author = authors_.find(id)) batch.want(user_cache_key(*author));
  }
  batch.fetch(cache_);

  std::unordered_map<TweetId, Tweet> found;
  std::vector<TweetId> misses;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto* cached = batch.find(keys[i]);
    auto tweet = cached && *cached ? decode_tweet(**cached) : std::nullopt;
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
  std::unordered_set<UserId> seen;
  for (const auto& [id, tweet] : found) {
    authors_.remember(id, tweet.user_id);
    if (seen.insert(tweet.user_id).second) authors.push_back(tweet.user_id);
  }
  auto users = users_.summaries(authors, &batch);

  std::unordered_set<TweetId> liked;
  if (caller && !found.empty()) {
    std::vector<std::int64_t> present;
    for (const auto& [id, tweet] : found) present.push_back(id);
    for (auto id : likes_.liked_among(*caller, ContentType::Tweet, present, &batch)) {
      liked.insert(id);
    }
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
