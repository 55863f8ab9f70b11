#include "app/maintenance.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include "common/time.hpp"
#include "domain/storage_sync.hpp"
#include "store/kv/rocksdb_store.hpp"
#include "store/sql/migration_rows.hpp"

namespace chirp::app {
namespace {

constexpr std::string_view kCheckpointColumn = "last_user";
// How long a command waits for a running server to pick up its job, and for the next line from a
// job that has started (a server that died mid-job must not leave the command waiting forever).
constexpr std::chrono::seconds kHandOverTimeout{30};
constexpr std::chrono::minutes kSilenceTimeout{10};

std::string checkpoint_key(std::string_view table, bool reverse) {
  return "checkpoint:backfill:" + std::string(table) + (reverse ? ":kv-to-sql" : ":sql-to-kv");
}

domain::UserId read_checkpoint(store::kv::WideColumnStore& kv, const std::string& key) {
  auto row = kv.get(kMaintenanceTable, key);
  if (!row) return 0;
  auto it = row->find(std::string(kCheckpointColumn));
  return it == row->end() ? 0 : std::stoll(it->second);
}

std::string counts(const domain::SyncProgress& p) {
  return std::to_string(p.users) + "/" + std::to_string(p.total_users) + " users, " +
         std::to_string(p.copied) + " rows copied, " + std::to_string(p.removed) + " removed";
}

int backfill(MaintenanceStores& s, std::string_view table, const MaintenanceRequest& request,
             const OutputLine& out) {
  const bool reverse = request.reverse;
  store::kv::WideColumnStore& kv = s.kv.store();
  const std::string key = checkpoint_key(table, reverse);
  const std::string direction = reverse ? "kv -> sql" : "sql -> kv";
  domain::SyncHooks hooks;
  hooks.user_ids_after = [&](domain::UserId after, std::size_t limit) {
    return store::sql::user_ids_after(s.database, after, limit);
  };
  hooks.total_users = store::sql::count_users(s.database);
  // A run over part of the users neither resumes nor leaves a checkpoint.
  const bool partial = request.from_user > 0;
  hooks.resume_after = partial           ? request.from_user - 1
                       : request.restart ? 0
                                         : read_checkpoint(kv, key);
  hooks.started_at = now_micros();
  if (hooks.resume_after != 0 && !partial) {
    out("backfill " + std::string(table) + ": resuming after user " +
        std::to_string(hooks.resume_after) + " (--restart starts over)");
  }
  if (!partial) {
    hooks.checkpoint = [&](domain::UserId last) {
      kv.put(kMaintenanceTable, {key, {{std::string(kCheckpointColumn), std::to_string(last)}}});
    };
  }
  hooks.progress = [&](const domain::SyncProgress& p) {
    out("backfill " + std::string(table) + " " + direction + ": " + counts(p));
  };
  domain::SyncProgress done;
  if (table == "friendships") {
    done = reverse ? domain::copy_friendships(s.kv_friendships, s.sql_friendships, hooks)
                   : domain::copy_friendships(s.sql_friendships, s.kv_friendships, hooks);
  } else {
    done = reverse ? domain::copy_feeds(s.kv_feeds, s.sql_feeds, hooks)
                   : domain::copy_feeds(s.sql_feeds, s.kv_feeds, hooks);
  }
  if (!partial) kv.remove(kMaintenanceTable, key);  // complete: the next run starts afresh
  out("backfill " + std::string(table) + " " + direction + ": done, " + counts(done));
  return 0;
}

int verify(MaintenanceStores& s, std::string_view table, const MaintenanceRequest& request,
           const OutputLine& out) {
  s.kv.store();
  domain::SyncHooks hooks;
  hooks.resume_after = request.from_user > 0 ? request.from_user - 1 : 0;
  hooks.user_ids_after = [&](domain::UserId after, std::size_t limit) {
    return store::sql::user_ids_after(s.database, after, limit);
  };
  hooks.total_users = store::sql::count_users(s.database);
  hooks.report = out;
  domain::SyncProgress done =
      table == "friendships"
          ? domain::compare_friendships(s.sql_friendships, s.kv_friendships, hooks)
          : domain::compare_feeds(s.sql_feeds, s.kv_feeds, hooks);
  out("verify " + std::string(table) + ": " + std::to_string(done.differences) + " differences (" +
      std::to_string(done.users) + " users)");
  return done.differences == 0 ? 0 : 1;
}

std::string encode(const MaintenanceRequest& r) {
  std::ostringstream s;
  s << (r.kind == MaintenanceRequest::Kind::Backfill ? "backfill" : "verify") << ' '
    << r.friendships << r.newsfeeds << r.reverse << r.restart << ' ' << r.from_user;
  return s.str();
}

MaintenanceRequest decode(std::string_view text) {
  // "<kind> <4 flags> <from_user>"
  std::istringstream in{std::string(text)};
  std::string kind, flags;
  MaintenanceRequest r;
  if (!(in >> kind >> flags >> r.from_user) || flags.size() != 4 ||
      (kind != "backfill" && kind != "verify")) {
    throw domain::MalformedJob("maintenance request \"" + std::string(text) + "\"");
  }
  r.kind =
      kind == "backfill" ? MaintenanceRequest::Kind::Backfill : MaintenanceRequest::Kind::Verify;
  r.friendships = flags[0] == '1';
  r.newsfeeds = flags[1] == '1';
  r.reverse = flags[2] == '1';
  r.restart = flags[3] == '1';
  return r;
}

// Prints the lines the server appends to `path` until its "exit N" line; returns N.
int relay_output(const std::filesystem::path& path, std::ostream& out) {
  auto last_line = std::chrono::steady_clock::now();
  std::ifstream in;
  std::string pending;
  bool seen_any = false;
  for (;;) {
    if (!in.is_open()) in.open(path);
    std::string chunk;
    if (in.is_open()) {
      std::ostringstream buffer;
      buffer << in.rdbuf();
      chunk = buffer.str();
      in.clear();  // reading hit EOF; more may be appended
    }
    pending += chunk;
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      seen_any = true;
      last_line = std::chrono::steady_clock::now();
      if (line.starts_with("exit ")) return std::stoi(line.substr(5));
      out << line << "\n" << std::flush;
    }
    const auto quiet = std::chrono::steady_clock::now() - last_line;
    if (!seen_any && quiet > kHandOverTimeout) return -1;
    if (seen_any && quiet > kSilenceTimeout) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int hand_over(MaintenanceStores& s, const MaintenanceRequest& request, const std::string& data_dir,
              std::ostream& out) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(fs::path(data_dir) / "maintenance");
  fs::create_directories(dir);
  const fs::path path =
      dir / (std::to_string(now_micros()) + "-" + std::to_string(::getpid()) + ".log");
  std::ofstream(path).close();
  const std::int64_t job = s.outbox.add({kMaintenanceJob, encode(request) + "\n" + path.string()});
  out << "the wide-column store is held by a running server; it runs this command\n" << std::flush;
  const int status = relay_output(path, out);
  fs::remove(path);
  if (status == -2) {
    out << "the server said nothing for " << kSilenceTimeout.count()
        << " minutes; it may have stopped (see its log); run the command again\n";
    return 1;
  }
  if (status < 0) {
    s.outbox.mark_done(job);  // withdrawn: it must not run later by surprise
    out << "no running server took the job within " << kHandOverTimeout.count()
        << " s; stop whatever holds the store or start chirp serve\n";
    return 1;
  }
  return status;
}

}  // namespace

int run_maintenance(MaintenanceStores& stores, const MaintenanceRequest& request,
                    const OutputLine& out) {
  int status = 0;
  for (std::string_view table : {"friendships", "newsfeeds"}) {
    if (table == "friendships" ? !request.friendships : !request.newsfeeds) continue;
    const int result = request.kind == MaintenanceRequest::Kind::Backfill
                           ? backfill(stores, table, request, out)
                           : verify(stores, table, request, out);
    status = std::max(status, result);
  }
  return status;
}

int maintenance_command(MaintenanceStores& stores, const MaintenanceRequest& request,
                        const std::string& data_dir, std::ostream& out) {
  try {
    stores.kv.store();
  } catch (const store::kv::KvStoreLocked&) {
    return hand_over(stores, request, data_dir, out);
  }
  return run_maintenance(stores, request, [&out](const std::string& line) {
    out << line << "\n" << std::flush;
  });
}

void run_maintenance_job(MaintenanceStores& stores, const domain::Job& job) {
  const auto newline = job.payload.find('\n');
  if (newline == std::string::npos) throw domain::MalformedJob("maintenance job without output");
  const MaintenanceRequest request = decode(std::string_view(job.payload).substr(0, newline));
  const std::string path = job.payload.substr(newline + 1);
  if (!std::filesystem::exists(path)) return;  // the command gave up and removed its file
  std::ofstream file(path, std::ios::app);
  auto out = [&file](const std::string& line) { file << line << "\n" << std::flush; };
  out("picked up by the server (pid " + std::to_string(::getpid()) + ")");
  int status = 1;
  try {
    status = run_maintenance(stores, request, out);
  } catch (const std::exception& e) {
    out(std::string("failed: ") + e.what());
  }
  out("exit " + std::to_string(status));
}

}  // namespace chirp::app
