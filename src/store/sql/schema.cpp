#include "store/sql/schema.hpp"

#include <chrono>
#include <string>
#include <string_view>

#include "common/errors.hpp"
#include "store/sql/migrations.hpp"
#include "store/sql/transaction.hpp"

namespace chirp::store::sql {
namespace {

constexpr std::string_view kCreateMigrationsTableSqlite =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kCreateMigrationsTableMysql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB";

constexpr std::string_view kMigrationsTableExistsSqlite =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kMigrationsTableExistsMysql =
    "SELECT COUNT(*) FROM information_schema.tables "
    "WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'";

constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kInsertAppliedMigration =
    "INSERT INTO schema_migrations (version, applied_at) VALUES (:version, :applied_at)";

// Scoped to the current database, so test databases on one server do not wait for each other.
constexpr std::string_view kTakeMigrationLockMysql =
    "SELECT GET_LOCK(CONCAT('chirp_migrate:', DATABASE()), 30)";
constexpr std::string_view kReleaseMigrationLockMysql =
    "SELECT RELEASE_LOCK(CONCAT('chirp_migrate:', DATABASE()))";

long long now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

void execute_script(soci::session& session, std::string_view script) {
  while (!script.empty()) {
    const auto end = script.find(';');
    const std::string_view statement = script.substr(0, end);
    if (statement.find_first_not_of(" \t\r\n") != std::string_view::npos) session << statement;
    if (end == std::string_view::npos) break;
    script.remove_prefix(end + 1);
  }
}

int current_version(soci::session& session) {
  long long version = 0;
  session << kSelectSchemaVersion, soci::into(version);
  return static_cast<int>(version);
}

void apply_pending(soci::session& session, Dialect dialect) {
  const int current = current_version(session);
  for (const Migration& migration : migrations()) {
    if (migration.version <= current) continue;
    execute_script(session,
                   dialect == Dialect::Sqlite ? migration.sqlite_sql : migration.mysql_sql);
    const int version = migration.version;
    const long long applied_at = now_micros();
    session << kInsertAppliedMigration, soci::use(version), soci::use(applied_at);
  }
}

class MysqlMigrationLock {
 public:
  explicit MysqlMigrationLock(soci::session& session) : session_(session) {
    int taken = 0;
    soci::indicator indicator = soci::i_null;
    session_ << kTakeMigrationLockMysql, soci::into(taken, indicator);
    if (indicator != soci::i_ok || taken != 1) {
      throw Unavailable("another process kept the migration lock for 30 s");
    }
  }
  ~MysqlMigrationLock() {
    try {
      int released = 0;
      soci::indicator indicator = soci::i_null;
      session_ << kReleaseMigrationLockMysql, soci::into(released, indicator);
    } catch (...) {
      // A lost connection releases the lock on the server.
    }
  }
  MysqlMigrationLock(const MysqlMigrationLock&) = delete;
  MysqlMigrationLock& operator=(const MysqlMigrationLock&) = delete;

 private:
  soci::session& session_;
};

}  // namespace

void apply_migrations(soci::session& session, Dialect dialect) {
  if (dialect == Dialect::Sqlite) {
    WriteTransaction transaction(session, dialect);
    session << kCreateMigrationsTableSqlite;
    apply_pending(session, dialect);
    transaction.commit();
    return;
  }
  MysqlMigrationLock lock(session);
  session << kCreateMigrationsTableMysql;
  apply_pending(session, dialect);
}

int read_schema_version(soci::session& session, Dialect dialect) {
  long long tables = 0;
  session << (dialect == Dialect::Sqlite ? kMigrationsTableExistsSqlite
                                         : kMigrationsTableExistsMysql),
      soci::into(tables);
  return tables == 0 ? 0 : current_version(session);
}

}  // namespace chirp::store::sql
