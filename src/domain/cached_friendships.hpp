#pragma once
// "Does the reader follow them" through the object cache (domain/cached_flags.hpp): every news
// feed read asks it about the pull-mode authors, every profile and list page about its users.
// Only those reads use the flags; fan-out and its re-checks (exists after an unfollow) read the
// store, which is the truth. The service that follows and unfollows writes through this class, so
// the flags change with every follow.
#include <optional>
#include <vector>

#include "domain/cached_flags.hpp"
#include "domain/social_repositories.hpp"

namespace chirp::domain {

class CachedFriendshipRepository final : public FriendshipRepository {
 public:
  CachedFriendshipRepository(FriendshipRepository& store, ObjectCache& cache)
      : store_(store), flags_(cache) {}

  std::optional<Friendship> create(UserId from, UserId to, Micros created_at) override;
  bool remove(UserId from, UserId to) override;
  bool exists(UserId from, UserId to) override;
  std::vector<UserId> followed_among(UserId from, const std::vector<UserId>& candidates) override;
  std::vector<UserId> followers_among(UserId to, const std::vector<UserId>& candidates) override {
    return store_.followers_among(to, candidates);  // fan-out batches: a thousand at a time
  }
  std::vector<TimelineItem> followers(UserId to, const TimeRange& range) override {
    return store_.followers(to, range);
  }
  std::vector<TimelineItem> followings(UserId from, const TimeRange& range) override {
    return store_.followings(from, range);
  }
  std::vector<UserId> follower_ids_after(UserId to, UserId after_id, std::size_t limit) override {
    return store_.follower_ids_after(to, after_id, limit);
  }

 private:
  FriendshipRepository& store_;
  CachedFlags flags_;
};

}  // namespace chirp::domain
