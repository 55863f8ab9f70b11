#include "domain/accounts.hpp"

#include "common/errors.hpp"
#include "common/text.hpp"
#include "domain/account_rules.hpp"
#include "domain/record_codec.hpp"
#include "domain/secrets.hpp"

namespace chirp::domain {
namespace {

constexpr std::size_t kSessionIdBytes = 32;  // 256 bits; SPEC asks for at least 128
constexpr std::size_t kTokenBytes = 20;
// Sliding expiry is written back at most this often, so reading a session is not a write per
// request.
constexpr Micros kSessionRefreshInterval = 24LL * 3600 * 1'000'000;

const char* const kUsernameTaken = "This username has been occupied.";
const char* const kEmailTaken = "This email address has been occupied.";

}  // namespace

AccountService::AccountService(UserRepository& users, SessionRepository& sessions,
                               TokenRepository& tokens, const PasswordHasher& hasher,
                               AccountSettings settings, AccountCaches caches)
    : users_(users),
      sessions_(sessions),
      tokens_(tokens),
      hasher_(hasher),
      settings_(settings),
      identities_(caches.identities) {
  if (caches.credentials != nullptr) credentials_.emplace(*caches.credentials);
}

std::optional<User> AccountService::identity(UserId id) {
  const std::string key = identity_cache_key(id);
  if (identities_ != nullptr) {
    const auto cached = identities_->get_many({key});
    if (auto user = cached.front() ? decode_identity(*cached.front()) : std::nullopt;
        user && user->id == id) {
      return user;
    }
  }
  auto user = users_.find_by_id(id);
  if (!user) return std::nullopt;
  user->password_hash.clear();
  if (identities_ != nullptr) identities_->set(key, encode_identity(*user));
  return user;
}

User AccountService::signup(const SignupRequest& request) {
  FieldErrors errors;
  auto add = [&errors](const char* field, std::vector<std::string> messages) {
    if (!messages.empty()) errors.emplace_back(field, std::move(messages));
  };
  add("username", username_errors(request.username));
  add("email", email_errors(request.email));
  add("password", password_errors(request.password));
  if (!errors.empty()) throw ValidationError(std::move(errors));

  NewUser user{to_lower_ascii(request.username), to_lower_ascii(request.email), "", false, 0};
  // Checked before hashing so a taken name costs no hashing time; the unique index below still
  // decides races between concurrent sign-ups.
  if (users_.find_by_username(user.username)) add("username", {kUsernameTaken});
  if (users_.find_by_email(user.email)) add("email", {kEmailTaken});
  if (!errors.empty()) throw ValidationError(std::move(errors));

  user.password_hash = hasher_.hash(request.password);
  user.date_joined = now_micros();
  try {
    return users_.create(user);
  } catch (const DuplicateKey& e) {
    throw ValidationError(e.field, e.field == "email" ? kEmailTaken : kUsernameTaken);
  }
}

User AccountService::check_credentials(std::string_view login, std::string_view password) {
  std::string key = to_lower_ascii(trim(login));
  auto user =
      key.find('@') != std::string::npos ? users_.find_by_email(key) : users_.find_by_username(key);
  if (!user) {
    hasher_.verify_against_dummy(password);
    throw BadRequest("User does not exist.");
  }
  if (!hasher_.verify(user->password_hash, password)) {
    throw BadRequest("Username and password does not match.");
  }
  return *user;
}

std::string AccountService::open_session(UserId user) {
  std::string id = random_hex(kSessionIdBytes);
  sessions_.create(hash_key(id), user, now_micros() + settings_.session_idle_ttl);
  return id;
}

void AccountService::close_session(std::string_view session_id) {
  auto key = hash_key(session_id);
  sessions_.remove(key);
  if (credentials_) credentials_->forget_session(key);
}

std::optional<CachedSession> AccountService::find_session(const std::string& key) {
  if (credentials_) {
    if (auto cached = credentials_->session(key)) return cached;
  }
  auto session = sessions_.find(key);
  if (!session) return std::nullopt;
  auto user = identity(session->user_id);
  if (!user) return std::nullopt;
  if (credentials_) credentials_->remember_session(key, *user, session->expires_at);
  return CachedSession{std::move(*user), session->expires_at};
}

std::optional<User> AccountService::session_user(std::string_view session_id) {
  if (session_id.empty() || session_id.size() > 256) return std::nullopt;
  auto key = hash_key(session_id);
  auto session = find_session(key);
  Micros now = now_micros();
  if (!session) return std::nullopt;
  if (session->expires_at <= now) {
    sessions_.remove(key);
    if (credentials_) credentials_->forget_session(key);
    return std::nullopt;
  }
  Micros renewed = now + settings_.session_idle_ttl;
  if (renewed - session->expires_at >= kSessionRefreshInterval) {
    sessions_.extend(key, renewed);
    if (credentials_) credentials_->forget_session(key);
  }
  return std::move(session->user);
}

std::string AccountService::create_token(UserId user) {
  std::string key = random_hex(kTokenBytes);
  tokens_.create(hash_key(key), user, now_micros());
  return key;
}

std::optional<User> AccountService::token_user(std::string_view key) {
  if (key.empty() || key.size() > 256) return std::nullopt;
  auto hash = hash_key(key);
  if (credentials_) {
    if (auto cached = credentials_->token(hash)) return cached;
  }
  auto user_id = tokens_.find_user(hash);
  if (!user_id) return std::nullopt;
  auto user = identity(*user_id);
  if (user && credentials_) credentials_->remember_token(hash, *user);
  return user;
}

bool AccountService::revoke_token(std::string_view key) {
  auto hash = hash_key(key);
  bool removed = tokens_.remove(hash);
  if (credentials_) credentials_->forget_token(hash);
  return removed;
}

}  // namespace chirp::domain
