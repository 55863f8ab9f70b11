#include "store/sql/database.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/errors.hpp"
#include "store/sql/database_url.hpp"
#include "store/sql/schema.hpp"
#include "store/sql/sql_errors.hpp"

namespace chirp::store::sql {
namespace {

using Clock = std::chrono::steady_clock;

// A MySQL session idle for longer than this is pinged before use: the server may have closed it
// (wait_timeout) or restarted meanwhile.
constexpr auto kIdlePingAfter = std::chrono::seconds(30);

// Read/write (MySQL) or busy (SQLite) timeout of the session that applies migrations.
constexpr int kMigrationIoTimeoutS = 3600;

constexpr std::string_view kSelectOne = "SELECT 1";
// Set the busy timeout before switching to WAL: the switch itself may have to wait for a lock.
constexpr std::string_view kSqliteJournalWal = "PRAGMA journal_mode = WAL";
constexpr std::string_view kSqliteSynchronousNormal = "PRAGMA synchronous = NORMAL";
constexpr std::string_view kSqliteForeignKeysOn = "PRAGMA foreign_keys = ON";

void validate(const DatabaseOptions& options) {
  if (options.pool_size == 0) throw std::invalid_argument("database pool_size must be at least 1");
  if (options.connect_timeout_s < 1 || options.io_timeout_s < 1) {
    throw std::invalid_argument("database timeouts must be at least 1 second");
  }
}

void prepare_sqlite_file(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw Unavailable("cannot create the directory " + parent.string() +
                      " for the SQLite database: " + error.message());
  }
}

void init_sqlite_session(soci::session& session, int busy_timeout_ms) {
  int timeout = 0;
  // PRAGMA arguments cannot be bound; the value is an integer we computed.
  session << "PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms), soci::into(timeout);
  std::string journal_mode;
  session << kSqliteJournalWal, soci::into(journal_mode);
  session << kSqliteSynchronousNormal;
  session << kSqliteForeignKeysOn;
}

}  // namespace

struct Database::Pool {
  struct Slot {
    std::unique_ptr<soci::session> session;  // null until first used
    bool broken = false;
    std::uint64_t checked_epoch = 0;
    Clock::time_point returned_at = Clock::now();
  };

  DatabaseOptions options;
  DatabaseUrl url;
  std::string connect_string;

  std::vector<Slot> slots;
  std::mutex mutex;
  std::condition_variable returned;
  std::vector<std::size_t> free_slots;  // LIFO: recently used (warm) sessions first
  // Bumped whenever a session reports a lost connection: every other idle MySQL session is then
  // pinged before its next use, so the whole pool recovers after one failed request.
  std::atomic<std::uint64_t> suspect_epoch{0};

  std::unique_ptr<soci::session> open_session() {
    return open_session(connect_string, options.io_timeout_s);
  }

  std::unique_ptr<soci::session> open_session(const std::string& connect, int io_timeout_s) {
    try {
      std::unique_ptr<soci::session> session;
      if (url.dialect == Dialect::Sqlite) {
        session = std::make_unique<soci::session>(soci::sqlite3, connect);
        init_sqlite_session(*session, io_timeout_s * 1000);
      } else {
        session = std::make_unique<soci::session>(soci::mysql, connect);
      }
      return session;
    } catch (const soci::soci_error& error) {
      throw Unavailable("cannot connect to the database: " + error.get_error_message());
    }
  }

  // Makes the slot's session usable; runs without the mutex, the caller owns the slot.
  void make_ready(Slot& slot) {
    const std::uint64_t epoch = suspect_epoch.load();
    if (!slot.session || slot.broken) {
      slot.session.reset();
      slot.session = open_session();
      slot.broken = false;
      slot.checked_epoch = epoch;
      return;
    }
    if (url.dialect != Dialect::Mysql) return;
    if (slot.checked_epoch != epoch || Clock::now() - slot.returned_at > kIdlePingAfter) {
      if (!slot.session->is_connected()) {
        slot.session.reset();
        slot.session = open_session();
      }
      slot.checked_epoch = epoch;
    }
  }

  void give_back(std::size_t index) {
    {
      std::lock_guard lock(mutex);
      slots[index].returned_at = Clock::now();
      free_slots.push_back(index);
    }
    returned.notify_one();
  }
};

Database::Database(DatabaseOptions options) {
  validate(options);
  auto pool = std::make_unique<Pool>();
  pool->url = parse_database_url(options.url);
  pool->connect_string = soci_connect_string(pool->url, options);
  pool->options = std::move(options);
  if (pool->url.dialect == Dialect::Sqlite) prepare_sqlite_file(pool->url.sqlite_path);

  pool->slots.resize(pool->options.pool_size);
  for (std::size_t i = pool->slots.size(); i-- > 0;) pool->free_slots.push_back(i);
  // Connect once now so a wrong URL or a dead server is reported at startup.
  pool->slots.front().session = pool->open_session();
  pool_ = std::move(pool);
}

Database::~Database() = default;

Dialect Database::dialect() const {
  return pool_->url.dialect;
}

Database::Lease Database::acquire() {
  std::unique_lock lock(pool_->mutex);
  const auto timeout = std::chrono::seconds(pool_->options.io_timeout_s);
  if (!pool_->returned.wait_for(lock, timeout, [&] { return !pool_->free_slots.empty(); })) {
    throw Unavailable("no database connection became free within " +
                      std::to_string(pool_->options.io_timeout_s) + " s");
  }
  const std::size_t index = pool_->free_slots.back();
  pool_->free_slots.pop_back();
  lock.unlock();

  Pool::Slot& slot = pool_->slots[index];
  try {
    pool_->make_ready(slot);
  } catch (...) {
    pool_->give_back(index);
    throw;
  }
  return Lease(pool_.get(), index, slot.session.get());
}

void Database::migrate() {
  // A session of its own, outside the pool: a migration may wait for another process's lock and
  // run DDL on big tables for much longer than a request's read timeout allows.
  DatabaseOptions migration_options = pool_->options;
  migration_options.io_timeout_s = kMigrationIoTimeoutS;
  const std::unique_ptr<soci::session> session =
      pool_->open_session(soci_connect_string(pool_->url, migration_options), kMigrationIoTimeoutS);
  try {
    apply_migrations(*session, dialect());
  } catch (const soci::soci_error& error) {
    rethrow_sql_error(error);
  }
}

int Database::schema_version() {
  return run([this](soci::session& session) { return read_schema_version(session, dialect()); });
}

Database::PoolStats Database::pool_stats() const {
  std::lock_guard lock(pool_->mutex);
  return {pool_->slots.size(), pool_->slots.size() - pool_->free_slots.size()};
}

bool Database::ping() {
  try {
    return run([](soci::session& session) {
      int one = 0;
      session << kSelectOne, soci::into(one);
      return one == 1;
    });
  } catch (const std::exception&) {
    return false;
  }
}

Database::Lease::~Lease() {
  if (pool_ != nullptr) pool_->give_back(slot_);
}

Dialect Database::Lease::dialect() const {
  return pool_->url.dialect;
}

void Database::Lease::fail(const soci::soci_error& error) {
  if (classify_sql_error(error).kind == SqlErrorKind::Connection) {
    pool_->slots[slot_].broken = true;
    ++pool_->suspect_epoch;
  }
  rethrow_sql_error(error);
}

}  // namespace chirp::store::sql
