#pragma once
// Storage interfaces the domain needs. store/sql implements them for SQLite and MySQL; tests may
// implement them in memory. Implementations throw chirp::Unavailable when the database cannot be
// reached, and chirp::DuplicateKey when a unique constraint rejects a write.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace chirp::domain {

struct NewUser {
  std::string username;  // already lowercase
  std::string email;     // already lowercase
  std::string password_hash;
  bool is_staff = false;
  Micros date_joined = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Inserts the user and their empty profile in one transaction. Throws DuplicateKey("username") or
  // DuplicateKey("email") when the unique index rejects it (concurrent signups end here).
  virtual User create(const NewUser& user) = 0;
  virtual std::optional<User> find_by_id(UserId id) = 0;
  virtual std::optional<User> find_by_username(std::string_view lowercase_username) = 0;
  virtual std::optional<User> find_by_email(std::string_view lowercase_email) = 0;
  virtual std::vector<User> find_many(const std::vector<UserId>& ids) = 0;  // any order
  virtual std::int64_t count() = 0;
  // Newest first (date_joined desc, id desc).
  virtual std::vector<User> list_newest(std::int64_t offset, std::int64_t limit) = 0;
};

class ProfileRepository {
 public:
  virtual ~ProfileRepository() = default;
  virtual std::optional<Profile> find(UserId user_id) = 0;
  virtual std::vector<Profile> find_many(const std::vector<UserId>& user_ids) = 0;  // any order
  // Overwrites nickname and avatar of an existing profile.
  virtual void update(const Profile& profile) = 0;
};

struct StoredSession {
  UserId user_id = 0;
  Micros expires_at = 0;
};

// Sessions are keyed by a hash of the cookie value; the raw id is never stored.
class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual void create(std::string_view key_hash, UserId user_id, Micros expires_at) = 0;
  virtual std::optional<StoredSession> find(std::string_view key_hash) = 0;
  virtual void extend(std::string_view key_hash, Micros expires_at) = 0;
  virtual void remove(std::string_view key_hash) = 0;
  virtual void remove_expired(Micros now) = 0;
};

// API tokens (SPEC §3.6), keyed by a hash of the key.
class TokenRepository {
 public:
  virtual ~TokenRepository() = default;
  virtual void create(std::string_view key_hash, UserId user_id, Micros created_at) = 0;
  virtual std::optional<UserId> find_user(std::string_view key_hash) = 0;
  // True when a token was removed.
  virtual bool remove(std::string_view key_hash) = 0;
};

}  // namespace chirp::domain
