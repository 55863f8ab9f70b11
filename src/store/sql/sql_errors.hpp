#pragma once
// What a SOCI error means for chirp: a lost connection, a busy database, a unique violation, or a
// plain SQL error. Database::Lease::fail turns the first three into chirp's typed errors.
#include <soci/error.h>

#include <string>

namespace chirp::store::sql {

enum class SqlErrorKind {
  Connection,       // cannot connect or the server went away: the session must be reopened
  Busy,             // SQLite stayed locked past the busy timeout
  UniqueViolation,  // a unique index or primary key rejected the write
  Deadlock,         // InnoDB rolled the whole transaction back to break a deadlock: run it again
  Other,
};

struct SqlErrorInfo {
  SqlErrorKind kind = SqlErrorKind::Other;
  // UniqueViolation only: the key as the database names it, without table prefix. SQLite reports
  // the column(s) ("username", "from_user_id,to_user_id"); MySQL the index name ("username",
  // "PRIMARY"). Name MySQL unique indexes after their column so both dialects agree.
  std::string key;
};

SqlErrorInfo classify_sql_error(const soci::soci_error& error);

// Call only from a catch block for `error`: throws chirp::Unavailable for Connection and Busy,
// chirp::DuplicateKey(key) for UniqueViolation, and rethrows the handled error otherwise (so a
// Deadlock reaches the caller as the SOCI error; run_transaction() retries it).
[[noreturn]] void rethrow_sql_error(const soci::soci_error& error);

}  // namespace chirp::store::sql
