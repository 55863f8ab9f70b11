#pragma once
// The one place that picks concrete implementations for the domain's interfaces (DESIGN §1).
#include <memory>

#include "api/api.hpp"
#include "api/services.hpp"
#include "app/config.hpp"
#include "app/maintenance.hpp"
#include "domain/gatekeepers.hpp"
#include "domain/jobs.hpp"
#include "store/sql/database.hpp"

namespace chirp::app {

class Wiring {
 public:
  // Opens the stores named by `config`. Runs migrations when `migrate` is set.
  Wiring(const Config& config, bool migrate);
  ~Wiring();
  Wiring(const Wiring&) = delete;
  Wiring& operator=(const Wiring&) = delete;

  // serve: starts the in-process job runner (embedded stack) or the outbox relay to RabbitMQ (full
  // stack); both stop when the Wiring is destroyed.
  void start_background_workers();
  // worker: runs one job (fan-out, backfill, cleanup) with this process's stores. Throws on a
  // failure worth retrying; logs and drops a malformed job.
  void run_job(const domain::Job& job);
  api::Services& services();
  // serve: opens the wide-column store now. On RocksDB the server must hold it (one process per
  // database: commands hand their work over to the holder) and a failure is fatal; an unreachable
  // HBase is only logged, and every call retries.
  void open_kv_store();
  MaintenanceStores& maintenance();
  domain::AccountService& accounts();
  domain::UserRepository& user_repository();
  const domain::PasswordHasher& password_hasher();
  // seed: the SQL database, written in bulk without the domain services.
  store::sql::Database& database();
  int schema_version();
  // Gatekeepers (SPEC §11): is_in/is_on for code that routes by switch, get/list/set for the CLI.
  domain::GatekeeperService& gatekeepers();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace chirp::app
