#include "domain/cached_credentials.hpp"

#include <charconv>

namespace chirp::domain {
namespace {

std::string session_key(std::string_view hash) {
  return "session:" + std::string(hash);
}
std::string token_key(std::string_view hash) {
  return "token:" + std::string(hash);
}

// "user_id expires_at" — unknown keys are not cached (a miss costs one indexed lookup).
std::string encode(std::int64_t a, std::int64_t b) {
  return std::to_string(a) + " " + std::to_string(b);
}

std::optional<std::pair<std::int64_t, std::int64_t>> decode(std::string_view s) {
  auto space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::int64_t a = 0, b = 0;
  auto r1 = std::from_chars(s.data(), s.data() + space, a);
  auto r2 = std::from_chars(s.data() + space + 1, s.data() + s.size(), b);
  if (r1.ec != std::errc() || r1.ptr != s.data() + space || r2.ec != std::errc() ||
      r2.ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return std::pair{a, b};
}

std::optional<std::string> cached(ObjectCache& cache, const std::string& key) {
  auto values = cache.get_many({key});
  return values.empty() ? std::nullopt : values.front();
}

}  // namespace

void CachedSessionRepository::create(std::string_view key_hash, UserId user_id, Micros expires_at) {
  store_.create(key_hash, user_id, expires_at);
}

std::optional<StoredSession> CachedSessionRepository::find(std::string_view key_hash) {
  auto key = session_key(key_hash);
  if (auto value = cached(cache_, key)) {
    if (auto fields = decode(*value)) return StoredSession{fields->first, fields->second};
  }
  auto session = store_.find(key_hash);
  if (session) cache_.set(key, encode(session->user_id, session->expires_at));
  return session;
}

void CachedSessionRepository::extend(std::string_view key_hash, Micros expires_at) {
  store_.extend(key_hash, expires_at);
  cache_.erase(session_key(key_hash));
}

void CachedSessionRepository::remove(std::string_view key_hash) {
  store_.remove(key_hash);
  cache_.erase(session_key(key_hash));
}

void CachedTokenRepository::create(std::string_view key_hash, UserId user_id, Micros created_at) {
  store_.create(key_hash, user_id, created_at);
}

std::optional<UserId> CachedTokenRepository::find_user(std::string_view key_hash) {
  auto key = token_key(key_hash);
  if (auto value = cached(cache_, key)) {
    if (auto fields = decode(*value)) return fields->first;
  }
  auto user = store_.find_user(key_hash);
  if (user) cache_.set(key, encode(*user, 0));
  return user;
}

bool CachedTokenRepository::remove(std::string_view key_hash) {
  bool removed = store_.remove(key_hash);
  cache_.erase(token_key(key_hash));
  return removed;
}

}  // namespace chirp::domain
