#pragma once
// Likes on tweets and comments (SPEC §9).
#include <optional>
#include <vector>

#include "domain/interaction_repositories.hpp"
#include "domain/pagination.hpp"
#include "domain/tweet_loader.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

class CommentRepository;

struct LikeView {
  UserSummary user;
  Micros created_at = 0;
};

class LikeService {
 public:
  LikeService(LikeRepository& likes, CommentRepository& comments, UserDirectory& users,
              TweetLoader& tweets)
      : likes_(likes), comments_(comments), users_(users), tweets_(tweets) {}

  // ValidationError{"object_id": "Object does not exist."} for an unknown target. Idempotent: a
  // repeated like answers the existing one and changes nothing.
  LikeView like(UserId user, ContentType type, std::int64_t object_id);
  // Same errors; true when a like was removed.
  bool cancel(UserId user, ContentType type, std::int64_t object_id);
  // Who liked it, newest first; empty for an unknown target.
  Page<LikeView> list(ContentType type, std::int64_t object_id, const PageRequest& page);
  // The newest `limit` likes of a tweet (tweet detail), without existence checks.
  std::vector<LikeView> recent(ContentType type, std::int64_t object_id, std::size_t limit);

 private:
  // The owner of the target (to notify), or ValidationError when it does not exist.
  UserId owner_of(ContentType type, std::int64_t object_id);
  std::vector<LikeView> views(const std::vector<TimelineItem>& rows);

  LikeRepository& likes_;
  CommentRepository& comments_;
  UserDirectory& users_;
  TweetLoader& tweets_;
};

}  // namespace chirp::domain
