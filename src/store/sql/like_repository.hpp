#pragma once
#include "domain/interaction_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

// Likes on tweets and comments; likes_count lives in the liked row (tweets or comments).
class SqlLikeRepository final : public domain::LikeRepository {
 public:
  explicit SqlLikeRepository(Database& database) : database_(database) {}

  std::optional<Result> create(domain::ContentType type, std::int64_t object_id,
                               domain::UserId user, Micros created_at,
                               const std::optional<domain::NewNotification>& notify) override;
  bool remove(domain::ContentType type, std::int64_t object_id, domain::UserId user) override;
  std::vector<domain::TimelineItem> list(domain::ContentType type, std::int64_t object_id,
                                         const domain::TimeRange& range) override;
  std::vector<std::int64_t> liked_among(domain::UserId user, domain::ContentType type,
                                        const std::vector<std::int64_t>& object_ids) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
