#pragma once
// What a SOCI error means for chirp: a lost connection, a busy database, a unique violation, or a
// plain SQL error. Database::Lease::fail turns the first three into chirp's typed errors.
#include <soci/error.h>

#include <string>
#include <string_view>

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

// A deadlock victim's error as rethrow_sql_error() passes it on: the message and the statement
// without the bound values (see throw_without_values); classified as Deadlock, so
// run_transaction() runs the work again.
class DeadlockError : public soci::soci_error {
 public:
  using soci::soci_error::soci_error;
};

SqlErrorInfo classify_sql_error(const soci::soci_error& error);

// Call only from a catch block for `error`: throws chirp::Unavailable for Connection and Busy,
// chirp::DuplicateKey(key) for UniqueViolation, a DeadlockError for a Deadlock (run_transaction()
// retries it) and any other error as throw_without_values() does.
[[noreturn]] void rethrow_sql_error(const soci::soci_error& error);

// SOCI's what() ends with the statement's context, bound values included (`while executing
// "INSERT ..." with :1="$argon2id$..."`): a password hash, a session's key hash or a user's text
// would reach the log of the 500 it becomes. Throws a plain soci_error with the message and the
// statement but without the values.
[[noreturn]] void throw_without_values(const soci::soci_error& error);

// `what` up to its statement, without the " with :name=value, ..." that follows.
std::string without_bound_values(std::string_view what);

}  // namespace chirp::store::sql
