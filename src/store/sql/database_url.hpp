#pragma once
// Parsing of the --database-url setting into what a SOCI backend needs.
#include <string>
#include <string_view>

#include "store/sql/database.hpp"

namespace chirp::store::sql {

struct DatabaseUrl {
  Dialect dialect = Dialect::Sqlite;
  std::string sqlite_path;  // Sqlite: everything after "sqlite://"
  // Mysql: user and password percent-decoded; port defaults to 3306.
  std::string user;
  std::string password;
  std::string host;
  int port = 3306;
  std::string database;
};

// Throws std::invalid_argument naming what is wrong.
DatabaseUrl parse_database_url(std::string_view url);

// The SOCI connect string for `url` (values quoted, so any byte in a password is safe).
std::string soci_connect_string(const DatabaseUrl& url, const DatabaseOptions& options);

}  // namespace chirp::store::sql
