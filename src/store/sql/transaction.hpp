#pragma once
// RAII write transaction: rolled back unless commit() was called.
#include <soci/session.h>

#include "store/sql/database.hpp"

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

}  // namespace chirp::store::sql
