#include "domain/notifications.hpp"

#include <unordered_map>

#include "common/errors.hpp"

namespace chirp::domain {

// One batched lookup each for actors, tweet targets and comment targets, whatever the page size.
std::vector<NotificationView> NotificationService::views(const std::vector<Notification>& rows) {
  std::vector<UserId> actors;
  std::vector<TweetId> tweet_ids;
  std::vector<CommentId> comment_ids;
  for (const auto& n : rows) {
    actors.push_back(n.actor_id);
    if (n.target_type == ContentType::Tweet) tweet_ids.push_back(n.target_id);
    if (n.target_type == ContentType::Comment) comment_ids.push_back(n.target_id);
  }
  auto users = users_.summaries(actors);
  std::unordered_map<std::int64_t, std::string> tweet_text, comment_text;
  if (!tweet_ids.empty()) {
    for (auto& t : tweets_.find_many(tweet_ids)) tweet_text.emplace(t.id, std::move(t.content));
  }
  if (!comment_ids.empty()) {
    for (auto& c : comments_.find_many(comment_ids)) comment_text.emplace(c.id, std::move(c.content));
  }
  std::vector<NotificationView> out;
  for (const auto& n : rows) {
    auto actor = users.find(n.actor_id);
    if (actor == users.end()) continue;
    NotificationView view{n, actor->second, std::nullopt};
    const auto& texts = n.target_type == ContentType::Tweet ? tweet_text : comment_text;
    if (n.target_type != ContentType::User) {
      auto text = texts.find(n.target_id);
      if (text == texts.end()) continue;  // its target is gone
      view.target_content = text->second;
    }
    out.push_back(std::move(view));
  }
  return out;
}

NotificationPage NotificationService::list(UserId recipient, std::optional<bool> unread,
                                           std::int64_t page, std::int64_t page_size) {
  NotificationPage out;
  out.count = notifications_.count(recipient, unread);
  std::int64_t offset = (page - 1) * page_size;
  if (page > 1 && offset >= out.count) throw NotFound("Invalid page.");
  out.items = views(notifications_.list(recipient, unread, offset, page_size));
  return out;
}

std::int64_t NotificationService::unread_count(UserId recipient) {
  return notifications_.count(recipient, true);
}

std::int64_t NotificationService::mark_all_read(UserId recipient) {
  return notifications_.mark_all_read(recipient);
}

NotificationView NotificationService::set_unread(std::int64_t id, UserId recipient, bool unread) {
  auto updated = notifications_.set_unread(id, recipient, unread);
  if (!updated) throw NotFound();
  auto out = views({*updated});
  if (out.empty()) throw NotFound();
  return out.front();
}

void NotificationService::followed(UserId follower, UserId followed) {
  if (follower == followed) return;
  notifications_.add({followed, follower, "followed you", ContentType::User, followed, std::nullopt},
                     now_micros());
}

}  // namespace chirp::domain
