#include "store/sql/token_repository.hpp"

#include <soci/soci.h>

#include <string>

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL.
constexpr std::string_view kInsertToken =
    "INSERT INTO tokens (key_hash, user_id, created_at) VALUES (:key_hash, :user_id, :created_at)";
constexpr std::string_view kSelectTokenUser =
    "SELECT user_id FROM tokens WHERE key_hash = :key_hash";
constexpr std::string_view kDeleteToken = "DELETE FROM tokens WHERE key_hash = :key_hash";

}  // namespace

void SqlTokenRepository::create(std::string_view key_hash, domain::UserId user_id,
                                Micros created_at) {
  database_.run([&](soci::session& session) {
    const std::string key(key_hash);
    const long long user = user_id;
    const long long created = created_at;
    session << kInsertToken, soci::use(key), soci::use(user), soci::use(created);
  });
}

std::optional<domain::UserId> SqlTokenRepository::find_user(std::string_view key_hash) {
  return database_.run([&](soci::session& session) -> std::optional<domain::UserId> {
    const std::string key(key_hash);
    long long user_id = 0;
    session << kSelectTokenUser, soci::into(user_id), soci::use(key);
    if (!session.got_data()) return std::nullopt;
    return user_id;
  });
}

bool SqlTokenRepository::remove(std::string_view key_hash) {
  return database_.run([&](soci::session& session) {
    const std::string key(key_hash);
    soci::statement statement = (session.prepare << kDeleteToken, soci::use(key));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
  });
}

}  // namespace chirp::store::sql
