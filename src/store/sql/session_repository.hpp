#pragma once
#include "domain/repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlSessionRepository final : public domain::SessionRepository {
 public:
  explicit SqlSessionRepository(Database& database) : database_(database) {}

  void create(std::string_view key_hash, domain::UserId user_id, Micros expires_at) override;
  std::optional<domain::StoredSession> find(std::string_view key_hash) override;
  void extend(std::string_view key_hash, Micros expires_at) override;
  void remove(std::string_view key_hash) override;
  // Removes sessions with expires_at <= now.
  void remove_expired(Micros now) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
