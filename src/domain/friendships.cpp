#include "domain/friendships.hpp"

#include <unordered_set>

#include "common/errors.hpp"
#include "domain/clock.hpp"
#include "domain/fanout_jobs.hpp"

namespace chirp::domain {

UserSummary FriendshipService::existing_user(UserId id) {
  auto found = users_.summaries({id});
  auto it = found.find(id);
  if (it == found.end()) throw NotFound();
  return it->second;
}

FollowResult FriendshipService::follow(UserId follower, UserId target) {
  auto followed = existing_user(target);
  if (follower == target) throw ValidationError("message", "You cannot follow yourself.");
  auto created = friendships_.create(follower, target, unique_now());
  if (!created) return {true, std::nullopt, followed};
  jobs_.publish(jobs::follow_backfill({follower, target}));
  notifications_.followed(follower, target);
  return {false, created, followed};
}

bool FriendshipService::unfollow(UserId follower, UserId target) {
  existing_user(target);
  if (follower == target) throw BadRequest("You cannot unfollow yourself.");
  bool removed = friendships_.remove(follower, target);
  if (removed) jobs_.publish(jobs::unfollow_cleanup({follower, target}));
  return removed;
}

Page<FriendshipItem> FriendshipService::followers(UserId user, const PageRequest& page,
                                                  std::optional<UserId> caller) {
  return to_items(friendships_.followers(user, page.lookahead_range()), page, caller);
}

Page<FriendshipItem> FriendshipService::followings(UserId user, const PageRequest& page,
                                                   std::optional<UserId> caller) {
  return to_items(friendships_.followings(user, page.lookahead_range()), page, caller);
}

// One batched user lookup and one batched "does the caller follow them" query per page.
Page<FriendshipItem> FriendshipService::to_items(std::vector<TimelineItem> rows,
                                                 const PageRequest& page,
                                                 std::optional<UserId> caller) {
  auto cut = cut_page(std::move(rows), page);
  std::vector<UserId> ids;
  for (const auto& row : cut.items) ids.push_back(row.id);
  auto users = users_.summaries(ids);
  std::unordered_set<UserId> followed;
  if (caller && !ids.empty()) {
    for (auto id : friendships_.followed_among(*caller, ids)) followed.insert(id);
  }
  Page<FriendshipItem> out;
  out.has_next_page = cut.has_next_page;
  for (const auto& row : cut.items) {
    auto u = users.find(row.id);
    if (u == users.end()) continue;
    out.items.push_back({u->second, row.created_at, followed.contains(row.id)});
  }
  return out;
}

}  // namespace chirp::domain
