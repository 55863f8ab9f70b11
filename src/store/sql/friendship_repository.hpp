#pragma once
#include "domain/social_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlFriendshipRepository final : public domain::FriendshipRepository {
 public:
  explicit SqlFriendshipRepository(Database& database) : database_(database) {}

  std::optional<domain::Friendship> create(domain::UserId from, domain::UserId to,
                                           Micros created_at) override;
  bool remove(domain::UserId from, domain::UserId to) override;
  bool exists(domain::UserId from, domain::UserId to) override;
  std::vector<domain::UserId> followed_among(
      domain::UserId from, const std::vector<domain::UserId>& candidates) override;
  std::vector<domain::UserId> followers_among(
      domain::UserId to, const std::vector<domain::UserId>& candidates) override;
  std::vector<domain::TimelineItem> followers(domain::UserId to,
                                              const domain::TimeRange& range) override;
  std::vector<domain::TimelineItem> followings(domain::UserId from,
                                               const domain::TimeRange& range) override;
  std::vector<domain::UserId> follower_ids_after(domain::UserId to, domain::UserId after_id,
                                                 std::size_t limit) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
