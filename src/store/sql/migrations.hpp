#pragma once
// The versioned SQL schema. Append new versions at the end of migrations.cpp; never edit an
// applied one.
#include <span>
#include <string_view>

namespace chirp::store::sql {

struct Migration {
  int version;
  std::string_view description;
  // Statements separated by ';' (so none may contain ';' inside a literal). MySQL DDL commits
  // implicitly, so every MySQL statement must be safe to run again (CREATE TABLE IF NOT EXISTS with
  // inline indexes) in case a run is interrupted between two statements.
  std::string_view sqlite_sql;
  std::string_view mysql_sql;
};

// All migrations, in increasing version order.
std::span<const Migration> migrations();

}  // namespace chirp::store::sql
