#pragma once
// `chirp backfill` and `chirp verify` (DESIGN §6): copy friendships and news feeds between SQL and
// the wide-column store, and compare them. On the embedded stack a running `chirp serve` holds the
// RocksDB store (one process per database), so the command hands the work to that server as a
// background job and relays its output, which it reads from a file in the data directory.
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "app/lazy_kv_store.hpp"
#include "domain/jobs.hpp"
#include "domain/migration_rows.hpp"
#include "domain/social_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::app {

struct MaintenanceStores {
  store::sql::Database& database;
  domain::FriendshipRows& sql_friendships;
  domain::FriendshipRows& kv_friendships;
  domain::NewsfeedRows& sql_feeds;
  domain::NewsfeedRows& kv_feeds;
  LazyKvStore& kv;
  domain::OutboxRepository& outbox;
};

struct MaintenanceRequest {
  enum class Kind { Backfill, Verify };
  Kind kind = Kind::Backfill;
  bool friendships = true;
  bool newsfeeds = true;
  bool reverse = false;  // backfill: wide-column store → SQL
  bool restart = false;  // backfill: ignore the checkpoint of an interrupted run
  std::int64_t from_user = 0;  // only users with this id or greater (0: all; no checkpoint then)
};

// The wide-column table of chirp's own bookkeeping (checkpoints of interrupted backfills).
inline constexpr std::string_view kMaintenanceTable = "chirp_meta";

// The job kind a server runs for a command that could not open the store itself.
inline constexpr const char* kMaintenanceJob = "maintenance";

using OutputLine = std::function<void(const std::string&)>;

// Runs the request with these stores, one output line at a time. Returns the exit status: 0, or 1
// when verify found differences or a store failed.
int run_maintenance(MaintenanceStores& stores, const MaintenanceRequest& request,
                    const OutputLine& out);

// The command: runs here, or hands the work to the server holding the embedded store and prints
// what it reports. Returns the exit status.
int maintenance_command(MaintenanceStores& stores, const MaintenanceRequest& request,
                        const std::string& data_dir, std::ostream& out);

// The server's side of the hand-over: runs a kMaintenanceJob, writing its output to the file the
// command named. Never throws (a failure is reported to the command, not retried).
void run_maintenance_job(MaintenanceStores& stores, const domain::Job& job);

}  // namespace chirp::app
