#pragma once
// Storage interfaces for comments, likes and notifications (SPEC §8-§10). Counters
// (comments_count, likes_count) live with the tweet or comment row and change in the same
// transaction as the comment or like row, so they never drift.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "domain/timeline.hpp"

namespace chirp::domain {

struct NewNotification {
  UserId recipient_id = 0;
  UserId actor_id = 0;
  std::string verb;
  ContentType target_type = ContentType::User;
  std::int64_t target_id = 0;
  std::optional<CommentId> action_comment_id;
};

class CommentRepository {
 public:
  virtual ~CommentRepository() = default;
  // In ONE transaction: checks the tweet exists (nullopt when not), inserts the comment
  // (created_at moved one microsecond later while it clashes with another comment of the tweet),
  // raises the tweet's comments_count, and inserts `notify` built from the new comment, if given.
  virtual std::optional<Comment> create(TweetId tweet, UserId user, std::string_view content,
                                        Micros created_at,
                                        const std::function<std::optional<NewNotification>(
                                            const Comment&)>& notify) = 0;
  virtual std::optional<Comment> find(CommentId id) = 0;
  virtual std::vector<Comment> find_many(const std::vector<CommentId>& ids) = 0;  // any order
  // The tweet's comments OLDEST first with created_at > `after` (all when nullopt), at most `limit`.
  virtual std::vector<Comment> list_by_tweet(TweetId tweet, std::optional<Micros> after,
                                             std::size_t limit) = 0;
  virtual bool update_content(CommentId id, std::string_view content, Micros updated_at) = 0;
  // In ONE transaction: deletes the comment, the likes on it and the notifications that point at
  // it (as target or action object), and lowers the tweet's comments_count. The deleted comment,
  // or nullopt when absent.
  virtual std::optional<Comment> remove(CommentId id) = 0;
};

class LikeRepository {
 public:
  virtual ~LikeRepository() = default;
  struct Result {
    Like like;
    bool created = false;  // false: it existed (a repeated like changes nothing)
  };
  // In ONE transaction: checks the object exists (nullopt when not); inserts the like unless the
  // user already likes it (unique user+type+object; a concurrent duplicate ends as created=false);
  // when created, raises the object's likes_count and inserts `notify` (ignored if an identical
  // notification exists: likes notify once per recipient, actor, verb and target).
  virtual std::optional<Result> create(ContentType type, std::int64_t object_id, UserId user,
                                       Micros created_at,
                                       const std::optional<NewNotification>& notify) = 0;
  // In ONE transaction: deletes the like and lowers likes_count only when a row was deleted.
  virtual bool remove(ContentType type, std::int64_t object_id, UserId user) = 0;
  // Who liked the object (id = user id), newest first.
  virtual std::vector<TimelineItem> list(ContentType type, std::int64_t object_id,
                                         const TimeRange& range) = 0;
  // The subset of `object_ids` that `user` likes — one query (has_liked for a whole page).
  virtual std::vector<std::int64_t> liked_among(UserId user, ContentType type,
                                                const std::vector<std::int64_t>& object_ids) = 0;
};

class NotificationRepository {
 public:
  virtual ~NotificationRepository() = default;
  // Inserts unless an identical one (recipient, actor, verb, target, action object) exists.
  virtual void add(const NewNotification& notification, Micros timestamp) = 0;
  // Newest first; `unread` filters when set.
  virtual std::vector<Notification> list(UserId recipient, std::optional<bool> unread,
                                         std::int64_t offset, std::int64_t limit) = 0;
  virtual std::int64_t count(UserId recipient, std::optional<bool> unread) = 0;
  // Number of notifications changed from unread to read.
  virtual std::int64_t mark_all_read(UserId recipient) = 0;
  // Sets `unread` on the recipient's notification; nullopt when it is not theirs or absent.
  virtual std::optional<Notification> set_unread(std::int64_t id, UserId recipient,
                                                 bool unread) = 0;
};

}  // namespace chirp::domain
