#pragma once
#include "domain/interaction_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlCommentRepository final : public domain::CommentRepository {
 public:
  explicit SqlCommentRepository(Database& database) : database_(database) {}

  std::optional<domain::Comment> create(
      domain::TweetId tweet, domain::UserId user, std::string_view content, Micros created_at,
      const std::function<std::optional<domain::NewNotification>(const domain::Comment&)>& notify)
      override;
  std::optional<domain::Comment> find(domain::CommentId id) override;
  std::vector<domain::Comment> find_many(const std::vector<domain::CommentId>& ids) override;
  std::vector<domain::Comment> list_by_tweet(domain::TweetId tweet, std::optional<Micros> after,
                                             std::size_t limit) override;
  bool update_content(domain::CommentId id, std::string_view content, Micros updated_at) override;
  std::optional<domain::Comment> remove(domain::CommentId id) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
