#pragma once
#include <soci/session.h>

#include "domain/interaction_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlNotificationRepository final : public domain::NotificationRepository {
 public:
  explicit SqlNotificationRepository(Database& database) : database_(database) {}

  void add(const domain::NewNotification& notification, Micros timestamp) override;
  std::vector<domain::Notification> list(domain::UserId recipient, std::optional<bool> unread,
                                         std::int64_t offset, std::int64_t limit) override;
  std::int64_t count(domain::UserId recipient, std::optional<bool> unread) override;
  std::int64_t mark_all_read(domain::UserId recipient) override;
  std::optional<domain::Notification> set_unread(std::int64_t id, domain::UserId recipient,
                                                 bool unread) override;

 private:
  Database& database_;
};

// Inserts the notification, unread, on the caller's session unless an identical one (recipient,
// actor, verb, target, action object) exists. Call it inside the transaction of the comment or
// like that causes it, so neither exists without the other.
void insert_notification(soci::session& session, Dialect dialect,
                         const domain::NewNotification& notification, Micros timestamp);

}  // namespace chirp::store::sql
