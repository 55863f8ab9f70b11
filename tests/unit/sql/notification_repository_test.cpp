#include "store/sql/notification_repository.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "interaction_test_support.hpp"
#include "sql_test_support.hpp"

namespace chirp::store::sql::testing {
namespace {

constexpr Micros kT0 = kInteractionT0;
using domain::ContentType;

domain::NewNotification follow(domain::UserId recipient, domain::UserId actor) {
  return {recipient, actor, "followed you", ContentType::User, recipient, std::nullopt};
}

std::vector<std::int64_t> ids_of(const std::vector<domain::Notification>& list) {
  std::vector<std::int64_t> ids;
  for (const auto& n : list) ids.push_back(n.id);
  return ids;
}

class NotificationRepositoryTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(NotificationRepositoryTest);

TEST_P(NotificationRepositoryTest, AddKeepsOneOfIdenticalNotifications) {
  SqlNotificationRepository notifications(database());
  notifications.add(follow(1, 2), kT0);
  notifications.add(follow(1, 2), kT0 + 5);  // follow, unfollow, follow again
  EXPECT_EQ(notifications.count(1, std::nullopt), 1);
  EXPECT_EQ(notifications.list(1, std::nullopt, 0, 10).at(0).timestamp, kT0);

  // Any other actor, verb, target or action object is another notification.
  notifications.add(follow(1, 3), kT0 + 1);
  notifications.add({1, 2, "liked your tweet", ContentType::Tweet, 1, std::nullopt}, kT0 + 2);
  notifications.add({1, 2, "liked your comment", ContentType::Comment, 1, std::nullopt}, kT0 + 3);
  notifications.add({1, 2, "commented on your tweet", ContentType::Tweet, 1, 10}, kT0 + 4);
  notifications.add({1, 2, "commented on your tweet", ContentType::Tweet, 1, 11}, kT0 + 5);
  notifications.add({1, 2, "commented on your tweet", ContentType::Tweet, 1, 11}, kT0 + 6);
  EXPECT_EQ(notifications.count(1, std::nullopt), 6);
  EXPECT_EQ(notifications.count(2, std::nullopt), 0);

  const auto newest = notifications.list(1, std::nullopt, 0, 1).at(0);
  EXPECT_EQ(newest.recipient_id, 1);
  EXPECT_EQ(newest.actor_id, 2);
  EXPECT_EQ(newest.verb, "commented on your tweet");
  EXPECT_EQ(newest.target_type, ContentType::Tweet);
  EXPECT_EQ(newest.target_id, 1);
  EXPECT_EQ(newest.action_comment_id, 11);
  EXPECT_TRUE(newest.unread);
  EXPECT_EQ(newest.timestamp, kT0 + 5);
}

TEST_P(NotificationRepositoryTest, ListIsNewestFirstWithOffsetLimitAndUnreadFilter) {
  SqlNotificationRepository notifications(database());
  for (domain::UserId actor = 10; actor < 16; ++actor) notifications.add(follow(1, actor), kT0);
  notifications.add(follow(1, 20), kT0 + 100);
  notifications.add(follow(2, 30), kT0 + 200);  // someone else's
  const auto all = notifications.list(1, std::nullopt, 0, 100);
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all[0].actor_id, 20);
  // Equal timestamps: the later id first.
  for (std::size_t i = 2; i < all.size(); ++i) EXPECT_GT(all[i - 1].id, all[i].id);
  EXPECT_EQ(ids_of(notifications.list(1, std::nullopt, 2, 3)),
            (std::vector<std::int64_t>{all[2].id, all[3].id, all[4].id}));
  EXPECT_EQ(ids_of(notifications.list(1, std::nullopt, 6, 10)),
            (std::vector<std::int64_t>{all[6].id}));
  EXPECT_TRUE(notifications.list(1, std::nullopt, 7, 10).empty());
  EXPECT_TRUE(notifications.list(1, std::nullopt, 0, 0).empty());

  ASSERT_TRUE(notifications.set_unread(all[1].id, 1, false).has_value());
  ASSERT_TRUE(notifications.set_unread(all[4].id, 1, false).has_value());
  EXPECT_EQ(ids_of(notifications.list(1, false, 0, 10)),
            (std::vector<std::int64_t>{all[1].id, all[4].id}));
  EXPECT_EQ(ids_of(notifications.list(1, true, 1, 2)),
            (std::vector<std::int64_t>{all[2].id, all[3].id}));
  EXPECT_EQ(notifications.count(1, true), 5);
  EXPECT_EQ(notifications.count(1, false), 2);
  EXPECT_EQ(notifications.count(1, std::nullopt), 7);
  EXPECT_EQ(notifications.count(3, std::nullopt), 0);
}

TEST_P(NotificationRepositoryTest, MarkAllReadCountsOnlyTheRecipientsUnreadOnes) {
  SqlNotificationRepository notifications(database());
  for (domain::UserId actor = 10; actor < 14; ++actor) notifications.add(follow(1, actor), kT0);
  notifications.add(follow(2, 10), kT0);
  const auto first = notifications.list(1, std::nullopt, 0, 1).at(0);
  ASSERT_TRUE(notifications.set_unread(first.id, 1, false).has_value());
  EXPECT_EQ(notifications.mark_all_read(1), 3);
  EXPECT_EQ(notifications.mark_all_read(1), 0);
  EXPECT_EQ(notifications.count(1, true), 0);
  EXPECT_EQ(notifications.count(2, true), 1);
  EXPECT_EQ(notifications.mark_all_read(3), 0);
}

TEST_P(NotificationRepositoryTest, SetUnreadOnlyOnTheRecipientsOwn) {
  SqlNotificationRepository notifications(database());
  notifications.add(follow(1, 2), kT0);
  const std::int64_t id = notifications.list(1, std::nullopt, 0, 1).at(0).id;
  const auto read = notifications.set_unread(id, 1, false);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->id, id);
  EXPECT_FALSE(read->unread);
  EXPECT_EQ(read->actor_id, 2);
  // The same value again still answers with the notification.
  EXPECT_FALSE(notifications.set_unread(id, 1, false)->unread);
  EXPECT_FALSE(notifications.set_unread(id, 2, true).has_value());  // not theirs
  EXPECT_FALSE(notifications.list(1, std::nullopt, 0, 1).at(0).unread);
  EXPECT_FALSE(notifications.set_unread(id + 100, 1, true).has_value());
  EXPECT_TRUE(notifications.set_unread(id, 1, true)->unread);
  EXPECT_EQ(notifications.count(1, true), 1);
}

}  // namespace
}  // namespace chirp::store::sql::testing
