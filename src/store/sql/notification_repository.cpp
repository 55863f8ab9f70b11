#include "store/sql/notification_repository.hpp"

#include <soci/soci.h>

#include <string>

namespace chirp::store::sql {
namespace {

// Inserts that skip a notification identical to an existing one. MySQL's INSERT IGNORE would also
// turn a too-long verb into a silently truncated one; a no-op update on the duplicate does not.
constexpr std::string_view kInsertNotificationSqlite =
    "INSERT INTO notifications "
    "(recipient_id, actor_id, verb, target_type, target_id, action_object_id, unread, timestamp) "
    "VALUES (:recipient_id, :actor_id, :verb, :target_type, :target_id, :action_object_id, 1, "
    ":timestamp) ON CONFLICT (recipient_id, actor_id, verb, target_type, target_id, "
    "action_object_id) DO NOTHING";
constexpr std::string_view kInsertNotificationMysql =
    "INSERT INTO notifications "
    "(recipient_id, actor_id, verb, target_type, target_id, action_object_id, unread, timestamp) "
    "VALUES (:recipient_id, :actor_id, :verb, :target_type, :target_id, :action_object_id, 1, "
    ":timestamp) ON DUPLICATE KEY UPDATE id = id";

// Same text for SQLite and MySQL. Pages read the (recipient_id, timestamp) index, or the
// (recipient_id, unread, timestamp) one when filtered; both end in the id, so ties need no sort.
constexpr std::string_view kSelectPage =
    "SELECT id, recipient_id, actor_id, verb, target_type, target_id, action_object_id, unread, "
    "timestamp FROM notifications WHERE recipient_id = :recipient_id "
    "ORDER BY timestamp DESC, id DESC LIMIT :limit OFFSET :offset";
constexpr std::string_view kSelectFilteredPage =
    "SELECT id, recipient_id, actor_id, verb, target_type, target_id, action_object_id, unread, "
    "timestamp FROM notifications WHERE recipient_id = :recipient_id AND unread = :unread "
    "ORDER BY timestamp DESC, id DESC LIMIT :limit OFFSET :offset";
constexpr std::string_view kSelectOfRecipient =
    "SELECT id, recipient_id, actor_id, verb, target_type, target_id, action_object_id, unread, "
    "timestamp FROM notifications WHERE id = :id AND recipient_id = :recipient_id";
constexpr std::string_view kCountOfRecipient =
    "SELECT COUNT(*) FROM notifications WHERE recipient_id = :recipient_id";
constexpr std::string_view kCountOfRecipientUnread =
    "SELECT COUNT(*) FROM notifications WHERE recipient_id = :recipient_id AND unread = :unread";
constexpr std::string_view kMarkAllRead =
    "UPDATE notifications SET unread = 0 WHERE recipient_id = :recipient_id AND unread = 1";
constexpr std::string_view kSetUnread =
    "UPDATE notifications SET unread = :unread WHERE id = :id AND recipient_id = :recipient_id";

// No action object is stored as 0: NULLs would never clash in the unique key.
constexpr long long kNoActionObject = 0;

// One row of the notifications table in SOCI's exchange types.
struct NotificationRow {
  long long id = 0;
  long long recipient_id = 0;
  long long actor_id = 0;
  std::string verb;
  int target_type = 0;
  long long target_id = 0;
  long long action_object_id = 0;
  int unread = 0;
  long long timestamp = 0;

  template <class Statement>
  void bind_into(Statement& statement) {
    statement, soci::into(id), soci::into(recipient_id), soci::into(actor_id), soci::into(verb),
        soci::into(target_type), soci::into(target_id), soci::into(action_object_id),
        soci::into(unread), soci::into(timestamp);
  }

  domain::Notification to_notification() const {
    std::optional<domain::CommentId> action_comment;
    if (action_object_id != kNoActionObject) action_comment = action_object_id;
    return domain::Notification{id,
                                recipient_id,
                                actor_id,
                                verb,
                                static_cast<domain::ContentType>(target_type),
                                target_id,
                                action_comment,
                                unread != 0,
                                timestamp};
  }
};

// Runs a notifications query whose parameters are all 64-bit integers.
std::vector<domain::Notification> select_notifications(soci::session& session, std::string_view sql,
                                                       std::vector<long long>& params) {
  NotificationRow row;
  soci::details::prepare_temp_type query = (session.prepare << sql);
  row.bind_into(query);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute();
  std::vector<domain::Notification> notifications;
  while (statement.fetch()) notifications.push_back(row.to_notification());
  return notifications;
}

}  // namespace

void insert_notification(soci::session& session, Dialect dialect,
                         const domain::NewNotification& notification, Micros timestamp) {
  const long long recipient_id = notification.recipient_id;
  const long long actor_id = notification.actor_id;
  const int target_type = static_cast<int>(notification.target_type);
  const long long target_id = notification.target_id;
  const long long action_object_id = notification.action_comment_id.value_or(kNoActionObject);
  const long long at = timestamp;
  session << (dialect == Dialect::Sqlite ? kInsertNotificationSqlite : kInsertNotificationMysql),
      soci::use(recipient_id), soci::use(actor_id), soci::use(notification.verb),
      soci::use(target_type), soci::use(target_id), soci::use(action_object_id), soci::use(at);
}

void SqlNotificationRepository::add(const domain::NewNotification& notification, Micros timestamp) {
  database_.run([&](soci::session& session) {
    insert_notification(session, database_.dialect(), notification, timestamp);
  });
}

std::vector<domain::Notification> SqlNotificationRepository::list(domain::UserId recipient,
                                                                  std::optional<bool> unread,
                                                                  std::int64_t offset,
                                                                  std::int64_t limit) {
  if (limit <= 0) return {};
  return database_.run([&](soci::session& session) {
    std::vector<long long> params{recipient};
    if (unread) params.push_back(*unread ? 1 : 0);
    params.push_back(limit);
    params.push_back(offset < 0 ? 0 : offset);
    return select_notifications(session, unread ? kSelectFilteredPage : kSelectPage, params);
  });
}

std::int64_t SqlNotificationRepository::count(domain::UserId recipient,
                                              std::optional<bool> unread) {
  return database_.run([&](soci::session& session) {
    const long long recipient_id = recipient;
    long long count = 0;
    if (unread) {
      const int flag = *unread ? 1 : 0;
      session << kCountOfRecipientUnread, soci::into(count), soci::use(recipient_id),
          soci::use(flag);
    } else {
      session << kCountOfRecipient, soci::into(count), soci::use(recipient_id);
    }
    return static_cast<std::int64_t>(count);
  });
}

std::int64_t SqlNotificationRepository::mark_all_read(domain::UserId recipient) {
  return database_.run([&](soci::session& session) {
    const long long recipient_id = recipient;
    soci::statement statement = (session.prepare << kMarkAllRead, soci::use(recipient_id));
    statement.execute(true);
    return static_cast<std::int64_t>(statement.get_affected_rows());
  });
}

std::optional<domain::Notification> SqlNotificationRepository::set_unread(std::int64_t id,
                                                                          domain::UserId recipient,
                                                                          bool unread) {
  return database_.run([&](soci::session& session) -> std::optional<domain::Notification> {
    const long long key = id;
    const long long recipient_id = recipient;
    const int flag = unread ? 1 : 0;
    // MySQL reports no affected row when the flag already had the value, so the read below, not
    // the affected count, tells whether the notification is the recipient's.
    session << kSetUnread, soci::use(flag), soci::use(key), soci::use(recipient_id);
    std::vector<long long> params{key, recipient_id};
    std::vector<domain::Notification> found =
        select_notifications(session, kSelectOfRecipient, params);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

}  // namespace chirp::store::sql
