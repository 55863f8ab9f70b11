#pragma once
#include "domain/repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlProfileRepository final : public domain::ProfileRepository {
 public:
  explicit SqlProfileRepository(Database& database) : database_(database) {}

  std::optional<domain::Profile> find(domain::UserId user_id) override;
  std::vector<domain::Profile> find_many(const std::vector<domain::UserId>& user_ids) override;
  void update(const domain::Profile& profile) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
