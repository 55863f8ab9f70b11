#include "store/sql/migrations.hpp"

namespace chirp::store::sql {
namespace {

// Times are integer microseconds. MySQL text is utf8mb4 with binary collation: the domain stores
// usernames and emails lowercase, so uniqueness is an exact byte match. VARCHAR sizes are in code
// points. Unique indexes are named after their column so SQLite and MySQL report the same key.

constexpr std::string_view kAccountsSqlite = R"sql(
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  is_staff INTEGER NOT NULL DEFAULT 0,
  date_joined INTEGER NOT NULL,
  CONSTRAINT username UNIQUE (username),
  CONSTRAINT email UNIQUE (email)
);
CREATE INDEX IF NOT EXISTS users_date_joined ON users (date_joined);
CREATE TABLE IF NOT EXISTS profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  nickname TEXT,
  avatar TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  key_hash TEXT PRIMARY KEY NOT NULL,
  user_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_id ON sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS tokens (
  key_hash TEXT PRIMARY KEY NOT NULL,
  user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_user_id ON tokens (user_id)
)sql";

constexpr std::string_view kAccountsMysql = R"sql(
CREATE TABLE IF NOT EXISTS users (
  id BIGINT NOT NULL AUTO_INCREMENT,
  username VARCHAR(32) NOT NULL,
  email VARCHAR(254) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  is_staff TINYINT NOT NULL DEFAULT 0,
  date_joined BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY username (username),
  UNIQUE KEY email (email),
  KEY users_date_joined (date_joined)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS profiles (
  user_id BIGINT NOT NULL,
  nickname VARCHAR(800) NULL,
  avatar VARCHAR(255) NULL,
  PRIMARY KEY (user_id),
  CONSTRAINT profiles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS sessions (
  key_hash VARCHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (key_hash),
  KEY sessions_user_id (user_id),
  KEY sessions_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS tokens (
  key_hash VARCHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (key_hash),
  KEY tokens_user_id (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
)sql";

constexpr Migration kMigrations[] = {
    {1, "accounts: users, profiles, sessions, tokens", kAccountsSqlite, kAccountsMysql},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace chirp::store::sql
