#pragma once
// Applying migrations.cpp to a database and reading the applied version.
#include <soci/session.h>

#include "store/sql/database.hpp"

namespace chirp::store::sql {

// Applies every pending migration. Serialised across processes: SQLite holds BEGIN IMMEDIATE for
// the whole run (DDL is transactional there); MySQL holds GET_LOCK for this database, and records
// each version right after its statements.
void apply_migrations(soci::session& session, Dialect dialect);

// Highest applied version, 0 when the schema_migrations table does not exist yet.
int read_schema_version(soci::session& session, Dialect dialect);

}  // namespace chirp::store::sql
