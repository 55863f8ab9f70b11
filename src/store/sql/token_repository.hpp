#pragma once
#include "domain/repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlTokenRepository final : public domain::TokenRepository {
 public:
  explicit SqlTokenRepository(Database& database) : database_(database) {}

  void create(std::string_view key_hash, domain::UserId user_id, Micros created_at) override;
  std::optional<domain::UserId> find_user(std::string_view key_hash) override;
  bool remove(std::string_view key_hash) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
