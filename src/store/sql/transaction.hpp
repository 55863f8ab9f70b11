#pragma once
// RAII write transaction: rolled back unless commit() was called.
#include <soci/session.h>

#include "store/sql/database.hpp"
#include "store/sql/sql_errors.hpp"

namespace chirp::store::sql {

class WriteTransaction {
 public:
  // SQLite: BEGIN IMMEDIATE, so the write lock is taken (waiting up to the busy timeout) before the
  // first read and a read-then-write transaction can never fail to upgrade. MySQL: START
  // TRANSACTION.
  WriteTransaction(soci::session& session, Dialect dialect);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();

 private:
  soci::session& session_;
  bool open_ = true;
};

// How often run_transaction() runs a transaction that InnoDB picked as a deadlock victim.
constexpr int kDeadlockAttempts = 5;

// database.run(work) for work that opens and commits a WriteTransaction. When MySQL breaks a
// deadlock by rolling the transaction back, `work` runs again on a fresh attempt, so it must start
// from its inputs each time (no state carried over from a failed attempt). SQLite never deadlocks:
// BEGIN IMMEDIATE serialises writers.
template <class Work>
decltype(auto) run_transaction(Database& database, Work&& work) {
  for (int attempt = 1;; ++attempt) {
    try {
      return database.run(work);
    } catch (const soci::soci_error& error) {
      if (attempt >= kDeadlockAttempts ||
          classify_sql_error(error).kind != SqlErrorKind::Deadlock) {
        throw_without_values(error);
      }
    }
  }
}

}  // namespace chirp::store::sql
