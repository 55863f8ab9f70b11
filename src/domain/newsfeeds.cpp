#include "domain/newsfeeds.hpp"

namespace chirp::domain {
namespace {

constexpr auto kPullListRefresh = std::chrono::seconds(2);

}  // namespace

std::vector<UserId> NewsfeedService::pull_mode_authors() {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(pull_mutex_);
  if (now - pull_read_at_ >= kPullListRefresh) {
    pull_authors_ = stats_.pull_mode_users();
    pull_read_at_ = now;
  }
  return pull_authors_;
}

Page<FeedItemView> NewsfeedService::page(UserId user, const PageRequest& request) {
  auto range = request.lookahead_range();
  // The feed and the followed pull-mode authors' lists, read from the cache in one go.
  std::vector<TimelineReader::List> sources{
      {feed_key(user), [&](const TimeRange& r) { return newsfeeds_.list(user, r); }}};
  auto pulled = pull_mode_authors();
  if (!pulled.empty()) {
    for (auto author : friendships_.followed_among(user, pulled)) {
      sources.push_back({user_tweets_key(author), [this, author](const TimeRange& r) {
                           return tweets_.list_by_user(author, r);
                         }});
    }
  }
  auto lists = reader_.read_many(sources, range);
  auto cut = cut_page(merge_newest_first(lists, range.limit), request);

  std::vector<TweetId> ids;
  for (const auto& item : cut.items) ids.push_back(item.id);
  Page<FeedItemView> out;
  out.has_next_page = cut.has_next_page;
  for (auto& view : loader_.load(ids, user)) {
    Micros at = view.tweet.created_at;
    out.items.push_back({std::move(view), at});
  }
  return out;
}

}  // namespace chirp::domain
