#pragma once
// The relational database behind every SQL repository: a URL, a bounded pool of SOCI sessions and
// the versioned schema. One Database serves SQLite (the embedded default) and MySQL/MariaDB.
#include <soci/error.h>
#include <soci/session.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace chirp::store::sql {

enum class Dialect { Sqlite, Mysql };

struct DatabaseOptions {
  std::string url;  // "sqlite:///abs/path.db", "sqlite://relative/path.db",
                    // "mysql://user:pass@host:port/db"
  std::size_t pool_size = 8;
  int connect_timeout_s = 3;  // MySQL connect timeout
  int io_timeout_s = 10;      // MySQL read/write timeout; SQLite busy timeout; pool wait
};

class Database {
 public:
  class Lease;

  // std::invalid_argument for a bad URL (the message says what is wrong); chirp::Unavailable when
  // the server cannot be reached.
  explicit Database(DatabaseOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const;

  // Applies pending versioned migrations (migrations.cpp) in order. Idempotent; safe when several
  // processes run it at once (MySQL GET_LOCK, SQLite BEGIN IMMEDIATE).
  void migrate();
  // Highest applied version, 0 for a new database.
  int schema_version();
  // True when a trivial query succeeds.
  bool ping();

  struct PoolStats {
    std::size_t size = 0;    // sessions the pool may hold
    std::size_t in_use = 0;  // leased right now
  };
  PoolStats pool_stats() const;

  // Waits for a free session, at most io_timeout_s, then throws chirp::Unavailable.
  Lease acquire();

  // Runs `work(soci::session&)` on a leased session and translates SOCI errors: connection-level
  // failures become chirp::Unavailable (and the session is reopened on next use), unique violations
  // chirp::DuplicateKey(key), anything else propagates unchanged.
  template <class Work>
  decltype(auto) run(Work&& work);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
};

// A pooled session, returned to the pool when the lease is destroyed.
class Database::Lease {
 public:
  Lease(Lease&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)), slot_(other.slot_), session_(other.session_) {}
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  soci::session& operator*() const { return *session_; }
  soci::session* operator->() const { return session_; }
  Dialect dialect() const;

  // Call only from a catch block for `error`. Throws chirp::Unavailable for connection-level
  // failures (marking this session for reopening), chirp::DuplicateKey for a unique violation, and
  // rethrows the error being handled otherwise.
  [[noreturn]] void fail(const soci::soci_error& error);

 private:
  friend class Database;
  Lease(Pool* pool, std::size_t slot, soci::session* session)
      : pool_(pool), slot_(slot), session_(session) {}

  Pool* pool_;
  std::size_t slot_;
  soci::session* session_;
};

template <class Work>
decltype(auto) Database::run(Work&& work) {
  Lease lease = acquire();
  try {
    return std::forward<Work>(work)(*lease);
  } catch (const soci::soci_error& error) {
    lease.fail(error);
  }
}

}  // namespace chirp::store::sql
