#include "store/sql/sql_errors.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string_view>

#include "common/errors.hpp"

namespace chirp::store::sql {
namespace {

constexpr int kMysqlDuplicateEntry = 1062;
constexpr int kMysqlLockDeadlock = 1213;
// Client and server codes that mean the connection is unusable (mysqld_error.h / errmsg.h).
constexpr int kMysqlConnectionErrors[] = {
    1053,  // ER_SERVER_SHUTDOWN
    1927,  // ER_CONNECTION_KILLED
    2002,  // CR_CONNECTION_ERROR
    2003,  // CR_CONN_HOST_ERROR
    2005,  // CR_UNKNOWN_HOST
    2006,  // CR_SERVER_GONE_ERROR
    2013,  // CR_SERVER_LOST
    2055,  // CR_SERVER_LOST_EXTENDED
    4031,  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
};

constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteConstraint = 19;
constexpr std::string_view kSqliteUniqueFailed = "UNIQUE constraint failed: ";

std::string_view after_last_dot(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

// "UNIQUE constraint failed: likes.user_id, likes.object_id" -> "user_id,object_id"
std::string sqlite_unique_key(std::string_view message) {
  const auto start = message.find(kSqliteUniqueFailed);
  std::string_view columns = message.substr(start + kSqliteUniqueFailed.size());
  columns = columns.substr(0, columns.find_first_of("\r\n"));
  std::string key;
  while (!columns.empty()) {
    const auto comma = columns.find(',');
    std::string_view column = columns.substr(0, comma);
    while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
    while (!column.empty() && column.back() == ' ') column.remove_suffix(1);
    if (!key.empty()) key += ',';
    key += after_last_dot(column);
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
  }
  return key;
}

// "Duplicate entry 'bob' for key 'username'" (MariaDB) or "... for key 'users.username'" (MySQL 8).
std::string mysql_duplicate_key(std::string_view message) {
  constexpr std::string_view kForKey = "for key '";
  const auto start = message.rfind(kForKey);
  if (start == std::string_view::npos) return {};
  std::string_view name = message.substr(start + kForKey.size());
  name = name.substr(0, name.find('\''));
  return std::string(after_last_dot(name));
}

}  // namespace

SqlErrorInfo classify_sql_error(const soci::soci_error& error) {
  if (dynamic_cast<const DeadlockError*>(&error)) return {SqlErrorKind::Deadlock, {}};
  const std::string message = error.get_error_message();
  if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) {
    const int code = static_cast<int>(mysql->err_num_);
    if (code == kMysqlDuplicateEntry)
      return {SqlErrorKind::UniqueViolation, mysql_duplicate_key(message)};
    if (code == kMysqlLockDeadlock) return {SqlErrorKind::Deadlock, {}};
    for (const int connection_code : kMysqlConnectionErrors) {
      if (code == connection_code) return {SqlErrorKind::Connection, {}};
    }
    if (error.get_error_category() == soci::soci_error::connection_error) {
      return {SqlErrorKind::Connection, {}};
    }
    return {};
  }
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    const int primary = sqlite->result() & 0xff;
    if (primary == kSqliteConstraint && message.find(kSqliteUniqueFailed) != std::string::npos) {
      return {SqlErrorKind::UniqueViolation, sqlite_unique_key(message)};
    }
    if (primary == kSqliteBusy || primary == kSqliteLocked) return {SqlErrorKind::Busy, {}};
    return {};
  }
  // SOCI raises some errors without a backend code; recognise the SQLite texts anyway.
  if (message.find(kSqliteUniqueFailed) != std::string::npos) {
    return {SqlErrorKind::UniqueViolation, sqlite_unique_key(message)};
  }
  if (message.find("database is locked") != std::string::npos) return {SqlErrorKind::Busy, {}};
  return {};
}

void rethrow_sql_error(const soci::soci_error& error) {
  SqlErrorInfo info = classify_sql_error(error);
  switch (info.kind) {
    case SqlErrorKind::Connection:
      throw Unavailable("database connection lost: " + error.get_error_message());
    case SqlErrorKind::Busy:
      throw Unavailable("database stayed locked: " + error.get_error_message());
    case SqlErrorKind::UniqueViolation:
      throw DuplicateKey(std::move(info.key));
    case SqlErrorKind::Deadlock:
      throw DeadlockError(without_bound_values(error.what()));
    case SqlErrorKind::Other:
      break;
  }
  throw_without_values(error);
}

std::string without_bound_values(std::string_view what) {
  // SOCI ends the text with `while executing "<statement>" with :<name>=<value>, ...`. A value
  // may hold anything (a newline, a quote), so everything after the statement goes.
  static constexpr std::string_view kValues = "\" with :";
  const auto values = what.find(kValues);
  return std::string(values == std::string_view::npos ? what : what.substr(0, values + 1));
}

void throw_without_values(const soci::soci_error& error) {
  throw soci::soci_error(without_bound_values(error.what()));
}

}  // namespace chirp::store::sql
