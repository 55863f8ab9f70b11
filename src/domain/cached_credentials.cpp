#include "domain/cached_credentials.hpp"

#include <charconv>
#include <string>

#include "domain/record_codec.hpp"

namespace chirp::domain {
namespace {

std::string session_key(std::string_view hash) {
  return "session:" + std::string(hash);
}
std::string token_key(std::string_view hash) {
  return "token:" + std::string(hash);
}

// A session entry: "<expires_at> <identity record>"; a token entry: the identity record alone.
// Unknown keys are not cached (a miss costs one indexed lookup).
std::string encode_session(const User& user, Micros expires_at) {
  return std::to_string(expires_at) + " " + encode_identity(user);
}

std::optional<CachedSession> decode_session(std::string_view s) {
  auto space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  Micros expires_at = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + space, expires_at);
  if (ec != std::errc() || end != s.data() + space) return std::nullopt;
  auto user = decode_identity(s.substr(space + 1));
  if (!user) return std::nullopt;
  return CachedSession{std::move(*user), expires_at};
}

}  // namespace

std::optional<std::string> CredentialCache::read(const std::string& key) {
  auto values = cache_.get_many({key});
  return values.empty() ? std::nullopt : std::move(values.front());
}

std::optional<CachedSession> CredentialCache::session(std::string_view key_hash) {
  auto value = read(session_key(key_hash));
  return value ? decode_session(*value) : std::nullopt;
}

void CredentialCache::remember_session(std::string_view key_hash, const User& user,
                                       Micros expires_at) {
  cache_.set(session_key(key_hash), encode_session(user, expires_at));
}

void CredentialCache::forget_session(std::string_view key_hash) {
  cache_.erase(session_key(key_hash));
}

std::optional<User> CredentialCache::token(std::string_view key_hash) {
  auto value = read(token_key(key_hash));
  return value ? decode_identity(*value) : std::nullopt;
}

void CredentialCache::remember_token(std::string_view key_hash, const User& user) {
  cache_.set(token_key(key_hash), encode_identity(user));
}

void CredentialCache::forget_token(std::string_view key_hash) {
  cache_.erase(token_key(key_hash));
}

}  // namespace chirp::domain
