#pragma once
// What authentication needs on every request — the user behind a session or an API token — kept
// in ONE cache entry per session or token (Redis on the full stack): the user's identity (never
// the password hash) travels with the lookup, so an authenticated request costs one cache read
// instead of a lookup and then an identity read. Users never change once created, so a cached
// identity is never stale. The store stays the truth: writes go there first and then drop the
// entry, and entries live only as long as the cache's expiry (short on the full stack), so one
// filled in a race with a logout or a revocation dies soon.
#include <optional>
#include <string_view>

#include "domain/caches.hpp"
#include "domain/entities.hpp"

namespace chirp::domain {

struct CachedSession {
  User user;  // without the password hash
  Micros expires_at = 0;
};

class CredentialCache {
 public:
  explicit CredentialCache(ObjectCache& cache) : cache_(cache) {}

  // nullopt: not cached (or in a format this version does not read).
  std::optional<CachedSession> session(std::string_view key_hash);
  void remember_session(std::string_view key_hash, const User& user, Micros expires_at);
  // After the session changed or went away in the store.
  void forget_session(std::string_view key_hash);

  std::optional<User> token(std::string_view key_hash);
  void remember_token(std::string_view key_hash, const User& user);
  void forget_token(std::string_view key_hash);

 private:
  std::optional<std::string> read(const std::string& key);
  ObjectCache& cache_;
};

}  // namespace chirp::domain
