#pragma once
// Friendships (SPEC §6): follow, unfollow, and the followers/followings lists.
#include <optional>
#include <vector>

#include "domain/jobs.hpp"
#include "domain/notifications.hpp"
#include "domain/pagination.hpp"
#include "domain/repositories.hpp"
#include "domain/social_repositories.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

struct FollowResult {
  bool duplicate = false;        // the relation already existed
  std::optional<Friendship> created;
  UserSummary followed;
};

struct FriendshipItem {
  UserSummary user;
  Micros created_at = 0;
  bool has_followed = false;  // the caller follows `user`
};

class FriendshipService {
 public:
  FriendshipService(FriendshipRepository& friendships, UserDirectory& users, JobQueue& jobs,
                    NotificationService& notifications)
      : friendships_(friendships), users_(users), jobs_(jobs), notifications_(notifications) {}

  // NotFound for an unknown target; ValidationError{"message"} when following yourself.
  FollowResult follow(UserId follower, UserId target);
  // NotFound for an unknown target; BadRequest when unfollowing yourself. True when removed.
  bool unfollow(UserId follower, UserId target);

  Page<FriendshipItem> followers(UserId user, const PageRequest& page, std::optional<UserId> caller);
  Page<FriendshipItem> followings(UserId user, const PageRequest& page,
                                  std::optional<UserId> caller);

 private:
  UserSummary existing_user(UserId id);
  Page<FriendshipItem> to_items(std::vector<TimelineItem> rows, const PageRequest& page,
                                std::optional<UserId> caller);

  FriendshipRepository& friendships_;
  UserDirectory& users_;
  JobQueue& jobs_;
  NotificationService& notifications_;
};

}  // namespace chirp::domain
