#include "store/sql/session_repository.hpp"

#include <soci/soci.h>

#include <string>

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL.
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (key_hash, user_id, expires_at) VALUES (:key_hash, :user_id, "
    ":expires_at)";
constexpr std::string_view kSelectSession =
    "SELECT user_id, expires_at FROM sessions WHERE key_hash = :key_hash";
constexpr std::string_view kExtendSession =
    "UPDATE sessions SET expires_at = :expires_at WHERE key_hash = :key_hash";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE key_hash = :key_hash";
constexpr std::string_view kDeleteExpiredSessions = "DELETE FROM sessions WHERE expires_at <= :now";

}  // namespace

void SqlSessionRepository::create(std::string_view key_hash, domain::UserId user_id,
                                  Micros expires_at) {
  database_.run([&](soci::session& session) {
    const std::string key(key_hash);
    const long long user = user_id;
    const long long expires = expires_at;
    session << kInsertSession, soci::use(key), soci::use(user), soci::use(expires);
  });
}

std::optional<domain::StoredSession> SqlSessionRepository::find(std::string_view key_hash) {
  return database_.run([&](soci::session& session) -> std::optional<domain::StoredSession> {
    const std::string key(key_hash);
    long long user_id = 0;
    long long expires_at = 0;
    session << kSelectSession, soci::into(user_id), soci::into(expires_at), soci::use(key);
    if (!session.got_data()) return std::nullopt;
    return domain::StoredSession{user_id, expires_at};
  });
}

void SqlSessionRepository::extend(std::string_view key_hash, Micros expires_at) {
  database_.run([&](soci::session& session) {
    const std::string key(key_hash);
    const long long expires = expires_at;
    session << kExtendSession, soci::use(expires), soci::use(key);
  });
}

void SqlSessionRepository::remove(std::string_view key_hash) {
  database_.run([&](soci::session& session) {
    const std::string key(key_hash);
    session << kDeleteSession, soci::use(key);
  });
}

void SqlSessionRepository::remove_expired(Micros now) {
  database_.run([&](soci::session& session) {
    const long long cutoff = now;
    session << kDeleteExpiredSessions, soci::use(cutoff);
  });
}

}  // namespace chirp::store::sql
