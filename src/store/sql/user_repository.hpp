#pragma once
#include "domain/repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlUserRepository final : public domain::UserRepository {
 public:
  explicit SqlUserRepository(Database& database) : database_(database) {}

  domain::User create(const domain::NewUser& user) override;
  std::optional<domain::User> find_by_id(domain::UserId id) override;
  std::optional<domain::User> find_by_username(std::string_view lowercase_username) override;
  std::optional<domain::User> find_by_email(std::string_view lowercase_email) override;
  std::vector<domain::User> find_many(const std::vector<domain::UserId>& ids) override;
  std::int64_t count() override;
  std::vector<domain::User> list_newest(std::int64_t offset, std::int64_t limit) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
