#pragma once
// Sign-up, login, sessions and API tokens (SPEC §3).
#include <optional>
#include <string>
#include <string_view>

#include "domain/cached_credentials.hpp"
#include "domain/caches.hpp"
#include "domain/entities.hpp"
#include "domain/passwords.hpp"
#include "domain/repositories.hpp"

namespace chirp::domain {

struct AccountSettings {
  Micros session_idle_ttl = 14LL * 24 * 3600 * 1'000'000;  // SPEC §1.3: 14 days idle
};

// Optional caches of authentication (both may be the same ObjectCache, or null).
struct AccountCaches {
  // The user of each authenticated request by id: users never change once created (SPEC has no
  // account updates), so an entry is never stale.
  ObjectCache* identities = nullptr;
  // Session and token lookups with their user (domain/cached_credentials.hpp): one read per
  // authenticated request.
  ObjectCache* credentials = nullptr;
};

struct SignupRequest {
  std::string username;  // trimmed, original case
  std::string email;     // trimmed, original case
  std::string password;  // exactly as sent
};

class AccountService {
 public:
  AccountService(UserRepository& users, SessionRepository& sessions, TokenRepository& tokens,
                 const PasswordHasher& hasher, AccountSettings settings, AccountCaches caches = {});

  // Validates (ValidationError with every failing field), creates the user and their profile.
  // A username/e-mail taken, also by a concurrent sign-up, is a ValidationError "occupied".
  User signup(const SignupRequest& request);

  // `login` is a username or an e-mail address, any case. Throws BadRequest("User does not exist.")
  // or BadRequest("Username and password does not match."), spending equal time in both cases.
  User check_credentials(std::string_view login, std::string_view password);

  // Starts a session and returns the raw session id for the cookie (only its hash is stored).
  std::string open_session(UserId user);
  void close_session(std::string_view session_id);
  // The user of a live session, sliding its idle expiry forward; nullopt when unknown or expired.
  std::optional<User> session_user(std::string_view session_id);

  std::string create_token(UserId user);
  std::optional<User> token_user(std::string_view key);
  bool revoke_token(std::string_view key);

 private:
  // The user behind a session or token, without the password hash (cached or not: same answer).
  std::optional<User> identity(UserId id);
  // The session with its user, through the credential cache; expiry not checked.
  std::optional<CachedSession> find_session(const std::string& key_hash);

  UserRepository& users_;
  SessionRepository& sessions_;
  TokenRepository& tokens_;
  const PasswordHasher& hasher_;
  AccountSettings settings_;
  ObjectCache* identities_;
  std::optional<CredentialCache> credentials_;
};

}  // namespace chirp::domain
