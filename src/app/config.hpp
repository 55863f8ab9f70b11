#pragma once
// Settings of every subcommand (DESIGN §1). Sources in order of precedence: command-line flags,
// CHIRP_* environment variables, a config file (--config FILE / CHIRP_CONFIG, lines "name = value"
// with flag names), then defaults.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/passwords.hpp"

namespace chirp::app {

// Bad command-line usage: the process exits with status 2 and this message.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Config {
  // storage (every command)
  std::string data_dir = "./data";
  std::string database_url;  // empty: sqlite://DATA_DIR/chirp.db
  std::string memcached_url;
  std::string redis_url;
  std::string amqp_url;
  std::string kv_url;
  std::string media_url;  // empty: file://DATA_DIR/media
  domain::PasswordCost password_cost = domain::PasswordCost::Interactive;
  int db_pool_size = 16;
  std::string log_level = "info";

  // serve
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8000;
  bool rate_limits = true;
  int workers = -1;  // in-process background workers; -1: 2 without an AMQP URL, 0 with one
  std::int64_t celebrity_threshold = 10000;
  int fanout_batch_size = 1000;
  int io_threads = 0;     // 0: one per core
  int http_workers = 16;  // threads running handlers (blocking store calls)
  // The HTTP server's resource limits (http::ServerOptions; docs/SECURITY.md "Resource limits").
  int http_queue_limit = 1024;  // requests waiting for an HTTP worker; more get 503
  int max_connections = 10000;
  int max_header_bytes = 16 * 1024;
  int max_header_fields = 100;
  int header_timeout_s = 10;
  int body_timeout_s = 60;
  int idle_timeout_s = 60;
  bool secure_cookies = false;  // "Secure" on the session and CSRF cookies (HTTPS at a proxy)

  // worker
  int worker_concurrency = 4;
  int worker_prefetch = 16;

  // createsuperuser
  std::string username, email, password;

  // gatekeeper set (absent: keep the current value)
  std::optional<int> gatekeeper_percent;
  std::optional<std::vector<std::int64_t>> gatekeeper_whitelist;
  std::optional<std::string> gatekeeper_description;

  // backfill, verify
  std::string maintenance_table = "all";
  bool backfill_reverse = false;
  bool backfill_restart = false;
  std::int64_t maintenance_from_user = 0;  // 0: every user

  // seed (DESIGN §1): the synthetic data set's size and the password of every seeded user
  std::int64_t seed_users = 10000;
  std::int64_t seed_follows = 1'000'000;
  std::int64_t seed_tweets = 200'000;
  std::int64_t seed_likes = 100'000;
  std::int64_t seed_comments = 50'000;
  std::int64_t seed_feed_size = 200;
  std::uint64_t seed = 1;
  std::vector<std::int64_t> seed_star_followers;  // user i + 1 gains [i] followers
  std::string seed_password = "chirp-seed-pw";

  std::string effective_database_url() const;
  std::string media_root() const;  // directory of the local media store
};

enum class Command {
  Serve,
  Worker,
  Migrate,
  CreateSuperuser,
  Gatekeeper,
  Backfill,
  Verify,
  Seed,
  Routes
};

struct ParsedCommand {
  Command command = Command::Serve;
  Config config;
  bool help = false;
};

// Parses `args` (without argv[0] and the subcommand) for `command`, reading the environment `env`.
// Throws UsageError.
Config parse_config(Command command, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, bool* help_requested);

// The --help text of a command.
std::string usage(Command command);
std::string general_usage();

}  // namespace chirp::app
