#pragma once
// Session and token lookups through a cache (Redis on the full stack): every authenticated request
// reads one, so the hot path skips the database. The store stays the truth: writes go there first
// and then drop the cached entry.
#include <optional>
#include <string>
#include <string_view>

#include "domain/caches.hpp"
#include "domain/repositories.hpp"

namespace chirp::domain {

class CachedSessionRepository final : public SessionRepository {
 public:
  CachedSessionRepository(SessionRepository& store, ObjectCache& cache)
      : store_(store), cache_(cache) {}
  void create(std::string_view key_hash, UserId user_id, Micros expires_at) override;
  std::optional<StoredSession> find(std::string_view key_hash) override;
  void extend(std::string_view key_hash, Micros expires_at) override;
  void remove(std::string_view key_hash) override;
  void remove_expired(Micros now) override { store_.remove_expired(now); }

 private:
  SessionRepository& store_;
  ObjectCache& cache_;
};

class CachedTokenRepository final : public TokenRepository {
 public:
  CachedTokenRepository(TokenRepository& store, ObjectCache& cache)
      : store_(store), cache_(cache) {}
  void create(std::string_view key_hash, UserId user_id, Micros created_at) override;
  std::optional<UserId> find_user(std::string_view key_hash) override;
  bool remove(std::string_view key_hash) override;

 private:
  TokenRepository& store_;
  ObjectCache& cache_;
};

}  // namespace chirp::domain
