#pragma once
#include "domain/social_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlTweetRepository final : public domain::TweetRepository {
 public:
  explicit SqlTweetRepository(Database& database) : database_(database) {}

  domain::Tweet create(const domain::NewTweet& tweet, Micros created_at,
                       const std::function<domain::Job(const domain::Tweet&)>& outbox_job) override;
  std::optional<domain::Tweet> find(domain::TweetId id) override;
  std::vector<domain::Tweet> find_many(const std::vector<domain::TweetId>& ids) override;
  std::vector<domain::TimelineItem> list_by_user(domain::UserId user,
                                                 const domain::TimeRange& range) override;
  std::vector<domain::TimelineItem> list_by_users(const std::vector<domain::UserId>& users,
                                                  const domain::TimeRange& range) override;
  bool update_content(domain::TweetId id, std::string_view content, Micros updated_at) override;
  std::optional<domain::Tweet> remove(domain::TweetId id) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
