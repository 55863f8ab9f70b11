#pragma once
#include "domain/social_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlNewsfeedRepository final : public domain::NewsfeedRepository {
 public:
  explicit SqlNewsfeedRepository(Database& database) : database_(database) {}

  void add(const std::vector<domain::FeedEntry>& entries) override;
  std::vector<domain::TimelineItem> list(domain::UserId user,
                                         const domain::TimeRange& range) override;
  void remove_tweet(domain::TweetId tweet) override;
  void remove_author(domain::UserId user, domain::UserId author) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
