#include "store/sql/database.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <stdexcept>

#include "common/errors.hpp"
#include "sql_test_support.hpp"
#include "store/sql/database_url.hpp"
#include "store/sql/migrations.hpp"
#include "store/sql/sql_errors.hpp"
#include "store/sql/user_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

TEST(DatabaseUrlTest, SqlitePathIsEverythingAfterTheScheme) {
  EXPECT_EQ(parse_database_url("sqlite:///tmp/x.db").sqlite_path, "/tmp/x.db");
  EXPECT_EQ(parse_database_url("sqlite://data/chirp.db").sqlite_path, "data/chirp.db");
  EXPECT_EQ(parse_database_url("sqlite://data/chirp.db").dialect, Dialect::Sqlite);
}

TEST(DatabaseUrlTest, MysqlPartsArePercentDecoded) {
  const DatabaseUrl url =
      parse_database_url("mysql://chirp%40app:p%3Ass%2Fw@db.example:3307/chirp");
  EXPECT_EQ(url.dialect, Dialect::Mysql);
  EXPECT_EQ(url.user, "chirp@app");
  EXPECT_EQ(url.password, "p:ss/w");
  EXPECT_EQ(url.host, "db.example");
  EXPECT_EQ(url.port, 3307);
  EXPECT_EQ(url.database, "chirp");

  const DatabaseUrl defaults = parse_database_url("mysql://root@localhost/app");
  EXPECT_EQ(defaults.port, 3306);
  EXPECT_EQ(defaults.password, "");
  EXPECT_EQ(parse_database_url("mysql://u:p@[::1]:3310/app").host, "::1");
  EXPECT_EQ(parse_database_url("mysql://u:p@[::1]:3310/app").port, 3310);
}

TEST(DatabaseUrlTest, ConnectStringQuotesValues) {
  DatabaseOptions options;
  options.connect_timeout_s = 4;
  options.io_timeout_s = 9;
  const std::string s =
      soci_connect_string(parse_database_url("mysql://u:it%27s%5C@h:1234/d"), options);
  EXPECT_NE(s.find("password='it\\'s\\\\'"), std::string::npos) << s;
  EXPECT_NE(s.find("port=1234"), std::string::npos) << s;
  EXPECT_NE(s.find("charset=utf8mb4"), std::string::npos) << s;
  EXPECT_NE(s.find("connect_timeout=4"), std::string::npos) << s;
  EXPECT_NE(s.find("read_timeout=9"), std::string::npos) << s;
  EXPECT_NE(s.find("write_timeout=9"), std::string::npos) << s;
}

TEST(DatabaseUrlTest, BadUrlsSayWhatIsWrong) {
  for (const char* bad : {"", "postgres://u@h/d", "sqlite://", "mysql://u:p@h:99999/d",
                          "mysql://u:p@h:3306", "mysql://u:p@h/", "mysql://u:p@/d", "mysql://h/d",
                          "mysql://u:p@h:x/d", "mysql://u:%zz@h/d", "mysql://u:p@h/d?ssl=1"}) {
    EXPECT_THROW(parse_database_url(bad), std::invalid_argument) << bad;
  }
  try {
    Database db(DatabaseOptions{"redis://localhost"});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("scheme"), std::string::npos) << e.what();
  }
}

TEST(DatabaseTest, UnreachableMysqlIsUnavailable) {
  DatabaseOptions options;
  options.url = "mysql://chirp:secret@127.0.0.1:1/chirp";  // nothing listens on port 1
  options.connect_timeout_s = 1;
  EXPECT_THROW(Database{options}, Unavailable);
}

TEST(DatabaseTest, SqliteCreatesParentDirectoryAndMigratesIdempotently) {
  TempDir dir;
  const auto file = dir.path() / "nested" / "deeper" / "chirp.db";
  Database db(DatabaseOptions{"sqlite://" + file.string(), 2});
  EXPECT_TRUE(std::filesystem::exists(file.parent_path()));
  EXPECT_EQ(db.dialect(), Dialect::Sqlite);
  EXPECT_TRUE(db.ping());
  EXPECT_EQ(db.schema_version(), 0);
  db.migrate();
  EXPECT_EQ(db.schema_version(), migrations().back().version);
  db.migrate();
  EXPECT_EQ(db.schema_version(), migrations().back().version);
}

TEST(DatabaseTest, SqliteSessionsUseWalAndForeignKeys) {
  TempDir dir;
  Database db(DatabaseOptions{"sqlite://" + (dir.path() / "chirp.db").string(), 1});
  auto lease = db.acquire();
  std::string journal_mode;
  int foreign_keys = 0;
  int busy_timeout = 0;
  *lease << "PRAGMA journal_mode", soci::into(journal_mode);
  *lease << "PRAGMA foreign_keys", soci::into(foreign_keys);
  *lease << "PRAGMA busy_timeout", soci::into(busy_timeout);
  EXPECT_EQ(journal_mode, "wal");
  EXPECT_EQ(foreign_keys, 1);
  EXPECT_EQ(busy_timeout, 10000);
}

// A failed statement's SOCI message names the bound values; the error that leaves Database::run
// (and may be logged as a 500) keeps the statement but not the values (a password hash, say).
TEST(DatabaseTest, AnSqlErrorLeavesRunWithoutTheBoundValues) {
  TempDir dir;
  Database db(DatabaseOptions{"sqlite://" + (dir.path() / "chirp.db").string(), 1});
  db.run([](soci::session& session) {
    session << "CREATE TABLE secrets (value TEXT CHECK (length(value) < 5))";
  });
  const std::string secret = "$argon2id$v=19$m=8,t=1,p=1$c2VjcmV0";
  try {
    db.run([&](soci::session& session) {
      session << "INSERT INTO secrets (value) VALUES (:value)", soci::use(secret, "value");
    });
    FAIL() << "the CHECK constraint did not fire";
  } catch (const soci::soci_error& error) {
    const std::string what = error.what();
    EXPECT_EQ(what.find("argon2"), std::string::npos) << what;
    EXPECT_NE(what.find("CHECK constraint failed"), std::string::npos) << what;
    EXPECT_NE(what.find("INSERT INTO secrets"), std::string::npos) << what;
  }
}

TEST(SqlErrorsTest, WithoutBoundValuesKeepsTheStatementOnly) {
  EXPECT_EQ(without_bound_values("boom while executing \"SELECT 1\""),
            "boom while executing \"SELECT 1\"");
  EXPECT_EQ(without_bound_values("boom while executing \"INSERT :a\" with :a=\"pw\""),
            "boom while executing \"INSERT :a\"");
  // A value with a newline or a quote in it is cut as a whole.
  EXPECT_EQ(without_bound_values("b\nwhile executing \"X\" with :1=\"a\nb\", :2=\"s\\\" with :\""),
            "b\nwhile executing \"X\"");
}

TEST(SqlErrorsTest, ADeadlockIsPassedOnWithoutValuesAndStillRetried) {
  try {
    try {
      throw soci::soci_error("Deadlock found while executing \"UPDATE x\" with :1=\"secret\"");
    } catch (const soci::soci_error& error) {
      throw DeadlockError(without_bound_values(error.what()));
    }
  } catch (const soci::soci_error& error) {
    EXPECT_EQ(classify_sql_error(error).kind, SqlErrorKind::Deadlock);
    EXPECT_EQ(std::string(error.what()), "Deadlock found while executing \"UPDATE x\"");
  }
}

TEST(DatabaseTest, AcquireTimesOutWhenThePoolIsExhausted) {
  TempDir dir;
  DatabaseOptions options{"sqlite://" + (dir.path() / "chirp.db").string(), 1};
  options.io_timeout_s = 1;
  Database db(options);
  auto held = db.acquire();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(db.acquire(), Unavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
}

TEST(DatabaseTest, LeaseReturnsSessionToThePool) {
  TempDir dir;
  Database db(DatabaseOptions{"sqlite://" + (dir.path() / "chirp.db").string(), 1});
  for (int i = 0; i < 3; ++i) {
    auto lease = db.acquire();
    int one = 0;
    *lease << "SELECT 1", soci::into(one);
    EXPECT_EQ(one, 1);
  }
}

class MigrationTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(MigrationTest);

TEST_P(MigrationTest, MigrateIsIdempotentAndRecordsTheVersion) {
  EXPECT_EQ(database().schema_version(), migrations().back().version);
  database().migrate();
  database().migrate();
  EXPECT_EQ(database().schema_version(), migrations().back().version);
  EXPECT_TRUE(database().ping());
}

TEST_P(MigrationTest, ConcurrentMigrationsOfAFreshDatabase) {
  TestDatabase fresh(GetParam());
  Database second(DatabaseOptions{fresh.url(), 1});  // like a second process
  std::thread other([&] { second.migrate(); });
  fresh->migrate();
  other.join();
  EXPECT_EQ(fresh->schema_version(), migrations().back().version);
  EXPECT_EQ(second.schema_version(), migrations().back().version);
}

// A server-side kill stands in for a database restart: the request that meets the dead connection
// gets Unavailable, and the next one reconnects without restarting chirp.
TEST_P(MigrationTest, MysqlSessionReconnectsAfterTheConnectionIsKilled) {
  if (GetParam() != Backend::Mysql) GTEST_SKIP() << "MySQL only";
  Database db(DatabaseOptions{database_->url(), 1});
  long long connection_id = 0;
  {
    auto lease = db.acquire();
    *lease << "SELECT CONNECTION_ID()", soci::into(connection_id);
  }
  {
    auto lease = database().acquire();
    *lease << "KILL " + std::to_string(connection_id);
  }
  SqlUserRepository users(db);
  EXPECT_THROW(users.count(), Unavailable);
  EXPECT_EQ(users.count(), 0);
  EXPECT_TRUE(db.ping());
}

}  // namespace
}  // namespace chirp::store::sql::testing
