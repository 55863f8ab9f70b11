#include "store/sql/transaction.hpp"

#include <string_view>

namespace chirp::store::sql {
namespace {

constexpr std::string_view kBeginSqlite = "BEGIN IMMEDIATE";
constexpr std::string_view kBeginMysql = "START TRANSACTION";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

}  // namespace

WriteTransaction::WriteTransaction(soci::session& session, Dialect dialect) : session_(session) {
  session_ << (dialect == Dialect::Sqlite ? kBeginSqlite : kBeginMysql);
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    session_ << kRollback;
  } catch (...) {
    // The connection is probably gone; the server rolls back on its own then.
  }
}

void WriteTransaction::commit() {
  session_ << kCommit;
  open_ = false;
}

}  // namespace chirp::store::sql
