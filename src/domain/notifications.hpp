#pragma once
// Notifications (SPEC §10): the recipient's list with page-number pagination, unread counts and
// marking read/unread.
#include <optional>
#include <string>
#include <vector>

#include "domain/interaction_repositories.hpp"
#include "domain/social_repositories.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

struct NotificationView {
  Notification notification;
  UserSummary actor;
  std::optional<std::string> target_content;  // current text of a tweet or comment target
};

struct NotificationPage {
  std::int64_t count = 0;
  std::vector<NotificationView> items;
};

class NotificationService {
 public:
  NotificationService(NotificationRepository& notifications, TweetRepository& tweets,
                      CommentRepository& comments, UserDirectory& users)
      : notifications_(notifications), tweets_(tweets), comments_(comments), users_(users) {}

  // NotFound("Invalid page.") past the end.
  NotificationPage list(UserId recipient, std::optional<bool> unread, std::int64_t page,
                        std::int64_t page_size);
  std::int64_t unread_count(UserId recipient);
  std::int64_t mark_all_read(UserId recipient);
  // NotFound when it is not the caller's (SPEC: 404, not 403).
  NotificationView set_unread(std::int64_t id, UserId recipient, bool unread);

  // "followed you" — called after a new follow; repeated follows notify once.
  void followed(UserId follower, UserId followed);

 private:
  std::vector<NotificationView> views(const std::vector<Notification>& rows);

  NotificationRepository& notifications_;
  TweetRepository& tweets_;
  CommentRepository& comments_;
  UserDirectory& users_;
};

}  // namespace chirp::domain
