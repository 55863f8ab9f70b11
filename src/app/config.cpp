#include "app/config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

#include "common/text.hpp"
#include "domain/gatekeepers.hpp"

namespace chirp::app {
namespace {

// Which commands take an option: storage settings everywhere, fan-out settings where jobs run.
enum Scope : unsigned {
  kStorage = 1,
  kServe = 2,
  kSuperuser = 4,
  kFanout = 8,
  kWorker = 16,
  kGatekeeper = 32,
  kBackfill = 64,
  kVerify = 128,
  kSeed = 256
};

struct Option {
  const char* name;        // flag without "--"
  const char* env;         // environment variable, or nullptr
  const char* value_name;  // nullptr: a flag without a value ("--reverse")
  const char* help;
  unsigned scope;
  std::function<void(Config&, const std::string&)> apply;
};

long long to_int(const std::string& name, const std::string& value, long long min, long long max) {
  long long out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || out < min || out > max) {
    throw UsageError("--" + name + ": expected an integer in " + std::to_string(min) + ".." +
                     std::to_string(max) + ", got \"" + value + "\"");
  }
  return out;
}

bool to_switch(const std::string& name, const std::string& value) {
  auto v = to_lower_ascii(value);
  if (v == "on" || v == "true" || v == "1" || v == "yes") return true;
  if (v == "off" || v == "false" || v == "0" || v == "no") return false;
  throw UsageError("--" + name + ": expected on or off, got \"" + value + "\"");
}

void apply_listen(Config& c, const std::string& value) {
  auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw UsageError("--listen: expected HOST:PORT, got \"" + value + "\"");
  }
  c.listen_host = value.substr(0, colon);
  if (c.listen_host.size() > 2 && c.listen_host.front() == '[' && c.listen_host.back() == ']') {
    c.listen_host = c.listen_host.substr(1, c.listen_host.size() - 2);
  }
  c.listen_port = static_cast<std::uint16_t>(to_int("listen", value.substr(colon + 1), 0, 65535));
}

void apply_cost(Config& c, const std::string& value) {
  if (value == "min")
    c.password_cost = domain::PasswordCost::Min;
  else if (value == "interactive")
    c.password_cost = domain::PasswordCost::Interactive;
  else if (value == "moderate")
    c.password_cost = domain::PasswordCost::Moderate;
  else
    throw UsageError("--password-cost: expected min, interactive or moderate, got \"" + value +
                     "\"");
}

void require_scheme(const std::string& name, const std::string& value,
                    std::initializer_list<const char*> schemes) {
  for (const char* s : schemes) {
    if (value.starts_with(s)) return;
  }
  std::string list;
  for (const char* s : schemes) list += (list.empty() ? "" : " or ") + std::string(s) + "...";
  throw UsageError("--" + name + ": expected " + list + ", got \"" + value + "\"");
}

const std::vector<Option>& options() {
  static const std::vector<Option> table = {
      {"data-dir", "CHIRP_DATA_DIR", "DIR",
       "data directory: SQLite file, RocksDB, media (default ./data)", kStorage,
       [](Config& c, const std::string& v) { c.data_dir = v; }},
      {"database-url", "CHIRP_DATABASE_URL", "URL",
       "sqlite:///path or mysql://user:pass@host:port/db (default sqlite in the data dir)",
       kStorage,
       [](Config& c, const std::string& v) {
         require_scheme("database-url", v, {"sqlite://", "mysql://"});
         c.database_url = v;
       }},
      {"memcached-url", "CHIRP_MEMCACHED_URL", "URL", "memcached://h:p[,h:p] (default in-process)",
       kStorage,
       [](Config& c, const std::string& v) {
         require_scheme("memcached-url", v, {"memcached://"});
         c.memcached_url = v;
       }},
      {"redis-url", "CHIRP_REDIS_URL", "URL", "redis://h:p/db (default in-process)", kStorage,
       [](Config& c, const std::string& v) {
         require_scheme("redis-url", v, {"redis://"});
         c.redis_url = v;
       }},
      {"amqp-url", "CHIRP_AMQP_URL", "URL", "amqp://u:p@h:p/vhost (default in-process queue)",
       kStorage,
       [](Config& c, const std::string& v) {
         require_scheme("amqp-url", v, {"amqp://"});
         c.amqp_url = v;
       }},
      {"kv-url", "CHIRP_KV_URL", "URL",
       "rocksdb:///path or hbase://h:p (default RocksDB in the data dir)", kStorage,
       [](Config& c, const std::string& v) {
         require_scheme("kv-url", v, {"rocksdb://", "hbase://"});
         c.kv_url = v;
       }},
      {"media-url", "CHIRP_MEDIA_URL", "URL", "file:///path (default DATA_DIR/media)", kStorage,
       [](Config& c, const std::string& v) {
         require_scheme("media-url", v, {"file://"});
         c.media_url = v;
       }},
      {"password-cost", "CHIRP_PASSWORD_COST", "min|interactive|moderate",
       "argon2id cost (default interactive)", kStorage, apply_cost},
      {"db-pool-size", "CHIRP_DB_POOL_SIZE", "N", "SQL connections per process (default 16)",
       kStorage,
       [](Config& c, const std::string& v) {
         c.db_pool_size = to_int("db-pool-size", v, 1, 1024);
       }},
      {"log-level", "CHIRP_LOG_LEVEL", "LEVEL", "trace, debug, info, warn, error (default info)",
       kStorage,
       [](Config& c, const std::string& v) {
         static const std::vector<std::string> levels = {"trace", "debug", "info",
                                                         "warn",  "error", "off"};
         if (std::find(levels.begin(), levels.end(), v) == levels.end()) {
           throw UsageError("--log-level: unknown level \"" + v + "\"");
         }
         c.log_level = v;
       }},
      {"listen", "CHIRP_LISTEN", "HOST:PORT", "address to serve on (default 127.0.0.1:8000)",
       kServe, apply_listen},
      {"rate-limits", "CHIRP_RATE_LIMITS", "on|off", "apply SPEC rate limits (default on)", kServe,
       [](Config& c, const std::string& v) { c.rate_limits = to_switch("rate-limits", v); }},
      {"workers", "CHIRP_WORKERS", "N",
       "in-process background workers (default 2, or 0 with --amqp-url)", kServe,
       [](Config& c, const std::string& v) { c.workers = to_int("workers", v, 0, 256); }},
      {"celebrity-threshold", "CHIRP_CELEBRITY_THRESHOLD", "N",
       "followers above which an author is not fanned out (default 10000)", kFanout | kSeed,
       [](Config& c, const std::string& v) {
         c.celebrity_threshold = to_int("celebrity-threshold", v, 0, 1LL << 40);
       }},
      {"fanout-batch-size", "CHIRP_FANOUT_BATCH_SIZE", "N",
       "followers per fan-out batch (default 1000)", kFanout,
       [](Config& c, const std::string& v) {
         c.fanout_batch_size = to_int("fanout-batch-size", v, 1, 1'000'000);
       }},
      {"io-threads", "CHIRP_IO_THREADS", "N", "network threads (default: one per core)", kServe,
       [](Config& c, const std::string& v) { c.io_threads = to_int("io-threads", v, 1, 256); }},
      {"http-workers", "CHIRP_HTTP_WORKERS", "N", "threads running request handlers (default 16)",
       kServe,
       [](Config& c, const std::string& v) {
         c.http_workers = to_int("http-workers", v, 1, 1024);
       }},
      {"http-queue-limit", "CHIRP_HTTP_QUEUE_LIMIT", "N",
       "requests waiting for a handler thread; more are answered 503 at once (default 1024)",
       kServe,
       [](Config& c, const std::string& v) {
         c.http_queue_limit = to_int("http-queue-limit", v, 0, 1'000'000);
       }},
      {"max-connections", "CHIRP_MAX_CONNECTIONS", "N",
       "open connections; more are closed at once (default 10000)", kServe,
       [](Config& c, const std::string& v) {
         c.max_connections = to_int("max-connections", v, 1, 1'000'000);
       }},
      {"max-header-bytes", "CHIRP_MAX_HEADER_BYTES", "BYTES",
       "request line and header size; more is answered 431 (default 16384)", kServe,
       [](Config& c, const std::string& v) {
         c.max_header_bytes = to_int("max-header-bytes", v, 1024, 1024 * 1024);
       }},
      {"max-header-fields", "CHIRP_MAX_HEADER_FIELDS", "N",
       "header fields per request; more are answered 431 (default 100)", kServe,
       [](Config& c, const std::string& v) {
         c.max_header_fields = to_int("max-header-fields", v, 1, 10'000);
       }},
      {"header-timeout", "CHIRP_HEADER_TIMEOUT", "SECONDS",
       "time to send a request's line and header (default 10)", kServe,
       [](Config& c, const std::string& v) {
         c.header_timeout_s = to_int("header-timeout", v, 1, 3600);
       }},
      {"body-timeout", "CHIRP_BODY_TIMEOUT", "SECONDS",
       "time to send a request's body, and to take an answer (default 60)", kServe,
       [](Config& c, const std::string& v) {
         c.body_timeout_s = to_int("body-timeout", v, 1, 3600);
       }},
      {"idle-timeout", "CHIRP_IDLE_TIMEOUT", "SECONDS",
       "keep-alive connection idle between requests (default 60)", kServe,
       [](Config& c, const std::string& v) {
         c.idle_timeout_s = to_int("idle-timeout", v, 1, 3600);
       }},
      {"secure-cookies", "CHIRP_SECURE_COOKIES", "on|off",
       "mark cookies Secure, for HTTPS at a proxy in front (default off)", kServe,
       [](Config& c, const std::string& v) { c.secure_cookies = to_switch("secure-cookies", v); }},
      {"concurrency", "CHIRP_WORKER_CONCURRENCY", "N",
       "jobs a worker runs at once, one RabbitMQ consumer each (default 4)", kWorker,
       [](Config& c, const std::string& v) {
         c.worker_concurrency = to_int("concurrency", v, 1, 256);
       }},
      {"prefetch", "CHIRP_WORKER_PREFETCH", "N", "unacknowledged jobs per consumer (default 16)",
       kWorker,
       [](Config& c, const std::string& v) {
         c.worker_prefetch = to_int("prefetch", v, 1, 10000);
       }},
      {"username", nullptr, "NAME", "the new admin's username", kSuperuser,
       [](Config& c, const std::string& v) { c.username = v; }},
      {"email", nullptr, "EMAIL", "the new admin's e-mail address", kSuperuser,
       [](Config& c, const std::string& v) { c.email = v; }},
      {"password", nullptr, "PASSWORD", "the new admin's password", kSuperuser,
       [](Config& c, const std::string& v) { c.password = v; }},
      {"percent", nullptr, "N", "gatekeeper set: users in, 0..100 (100: the switch is on)",
       kGatekeeper,
       [](Config& c, const std::string& v) {
         c.gatekeeper_percent = static_cast<int>(to_int("percent", v, 0, 100));
       }},
      {"whitelist", nullptr, "1,2,3", "gatekeeper set: user ids always in (\"\": none)",
       kGatekeeper,
       [](Config& c, const std::string& v) {
         auto ids = domain::parse_whitelist(v);
         if (!ids)
           throw UsageError("--whitelist: expected comma-separated user ids, got \"" + v + "\"");
         c.gatekeeper_whitelist = std::move(*ids);
       }},
      {"description", nullptr, "TEXT", "gatekeeper set: what the switch is for", kGatekeeper,
       [](Config& c, const std::string& v) { c.gatekeeper_description = v; }},
      {"table", nullptr, "friendships|newsfeeds|all", "backfill/verify: which table (default all)",
       kBackfill | kVerify,
       [](Config& c, const std::string& v) {
         if (v != "friendships" && v != "newsfeeds" && v != "all") {
           throw UsageError("--table: expected friendships, newsfeeds or all, got \"" + v + "\"");
         }
         c.maintenance_table = v;
       }},
      {"from-user", nullptr, "ID", "backfill/verify: only users with this id or a greater one",
       kBackfill | kVerify,
       [](Config& c, const std::string& v) {
         c.maintenance_from_user = to_int("from-user", v, 1, 1LL << 62);
       }},
      {"reverse", nullptr, nullptr,
       "backfill: copy from the wide-column store back to SQL (rollback)", kBackfill,
       [](Config& c, const std::string& v) { c.backfill_reverse = to_switch("reverse", v); }},
      {"restart", nullptr, nullptr,
       "backfill: start from the first user, not where an interrupted run stopped", kBackfill,
       [](Config& c, const std::string& v) { c.backfill_restart = to_switch("restart", v); }},
      {"users", nullptr, "N", "seed: users to create (default 10000)", kSeed,
       [](Config& c, const std::string& v) { c.seed_users = to_int("users", v, 1, 99'999'999); }},
      {"follows", nullptr, "N", "seed: follows, power-law over the followed (default 1000000)",
       kSeed,
       [](Config& c, const std::string& v) {
         c.seed_follows = to_int("follows", v, 0, 1LL << 40);
       }},
      {"tweets", nullptr, "N", "seed: tweets over the last 30 days (default 200000)", kSeed,
       [](Config& c, const std::string& v) { c.seed_tweets = to_int("tweets", v, 0, 1LL << 40); }},
      {"likes", nullptr, "N", "seed: likes of tweets (default 100000)", kSeed,
       [](Config& c, const std::string& v) { c.seed_likes = to_int("likes", v, 0, 1LL << 40); }},
      {"comments", nullptr, "N", "seed: comments on tweets (default 50000)", kSeed,
       [](Config& c, const std::string& v) {
         c.seed_comments = to_int("comments", v, 0, 1LL << 40);
       }},
      {"feed-size", nullptr, "N", "seed: newest news feed rows kept per user (default 200)", kSeed,
       [](Config& c, const std::string& v) {
         c.seed_feed_size = to_int("feed-size", v, 0, 1'000'000);
       }},
      {"seed", nullptr, "N", "seed: random seed; the same seed makes the same data (default 1)",
       kSeed,
       [](Config& c, const std::string& v) {
         c.seed = static_cast<std::uint64_t>(to_int("seed", v, 0, 1LL << 62));
       }},
      {"star-followers", nullptr, "N1,N2",
       "seed: user 1 gets N1 more followers, user 2 N2, ... (default none)", kSeed,
       [](Config& c, const std::string& v) {
         auto counts = domain::parse_whitelist(v);
         if (!counts || counts->empty() ||
             std::any_of(counts->begin(), counts->end(), [](auto n) { return n < 0; })) {
           throw UsageError("--star-followers: expected comma-separated counts, got \"" + v + "\"");
         }
         c.seed_star_followers = std::move(*counts);
       }},
      {"password", nullptr, "PASSWORD",
       "seed: every seeded user's password (default chirp-seed-pw)", kSeed,
       [](Config& c, const std::string& v) { c.seed_password = v; }},
  };
  return table;
}

unsigned scope_of(Command command) {
  switch (command) {
    case Command::Serve:
      return kStorage | kServe | kFanout;
    case Command::Worker:
      return kStorage | kFanout | kWorker;
    case Command::Migrate:
      return kStorage;
    case Command::CreateSuperuser:
      return kStorage | kSuperuser;
    case Command::Gatekeeper:
      return kStorage | kGatekeeper;
    case Command::Backfill:
      return kStorage | kBackfill;
    case Command::Verify:
      return kStorage | kVerify;
    case Command::Seed:
      return kStorage | kSeed;
    case Command::Routes:
      return 0;
  }
  return kStorage;
}

const char* name_of(Command command) {
  switch (command) {
    case Command::Serve:
      return "serve";
    case Command::Worker:
      return "worker";
    case Command::Migrate:
      return "migrate";
    case Command::CreateSuperuser:
      return "createsuperuser";
    case Command::Gatekeeper:
      return "gatekeeper";
    case Command::Backfill:
      return "backfill";
    case Command::Verify:
      return "verify";
    case Command::Seed:
      return "seed";
    case Command::Routes:
      return "routes";
  }
  return "";
}

const Option* find_option(std::string_view name, unsigned scope) {
  for (const auto& o : options()) {
    if ((o.scope & scope) && name == o.name) return &o;
  }
  return nullptr;
}

// "name = value" lines; '#' starts a comment.
std::map<std::string, std::string> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--config: cannot read \"" + path + "\"");
  std::map<std::string, std::string> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto text = trim(line.substr(0, line.find('#')));
    if (text.empty()) continue;
    auto eq = text.find('=');
    if (eq == std::string::npos) {
      throw UsageError(path + ":" + std::to_string(number) + ": expected \"name = value\"");
    }
    values[trim(text.substr(0, eq))] = trim(text.substr(eq + 1));
  }
  return values;
}

}  // namespace

std::string Config::effective_database_url() const {
  return database_url.empty() ? "sqlite://" + data_dir + "/chirp.db" : database_url;
}

std::string Config::media_root() const {
  return media_url.empty() ? data_dir + "/media" : media_url.substr(std::string("file://").size());
}

Config parse_config(Command command, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, bool* help_requested) {
  unsigned scope = scope_of(command);
  std::map<std::string, std::string> flags;
  std::string config_file;
  if (auto it = env.find("CHIRP_CONFIG"); it != env.end()) config_file = it->second;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      if (help_requested) *help_requested = true;
      return {};
    }
    if (!arg.starts_with("--")) throw UsageError("unexpected argument \"" + arg + "\"");
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Option* option = find_option(name, scope);
    if (name != "config" && !option) {
      throw UsageError("unknown option --" + name + " for " + name_of(command));
    }
    if (!has_value && option && !option->value_name) {
      value = "on";
    } else if (!has_value) {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
      value = args[++i];
    }
    if (name == "config")
      config_file = value;
    else
      flags[name] = value;
  }

  std::map<std::string, std::string> file_values;
  if (!config_file.empty()) file_values = read_config_file(config_file);

  Config config;
  for (const auto& option : options()) {
    if (!(option.scope & scope)) continue;
    if (auto f = flags.find(option.name); f != flags.end()) {
      option.apply(config, f->second);
    } else if (auto e = option.env ? env.find(option.env) : env.end(); e != env.end()) {
      option.apply(config, e->second);
    } else if (auto v = file_values.find(option.name); v != file_values.end()) {
      option.apply(config, v->second);
    }
  }
  for (const auto& [name, value] : file_values) {
    if (!find_option(name, ~0u)) {
      throw UsageError(config_file + ": unknown setting \"" + name + "\"");
    }
  }
  return config;
}

std::string usage(Command command) {
  std::ostringstream out;
  out << "usage: chirp " << name_of(command)
      << (command == Command::Gatekeeper ? " list | get NAME | set NAME" : "")
      << " [options]\n\noptions:\n";
  unsigned scope = scope_of(command);
  for (const auto& o : options()) {
    if (!(o.scope & scope)) continue;
    std::string flag =
        std::string("--") + o.name + (o.value_name ? std::string(" ") + o.value_name : "");
    out << "  " << flag << std::string(flag.size() < 34 ? 34 - flag.size() : 1, ' ') << o.help;
    if (o.env) out << " [env " << o.env << "]";
    out << "\n";
  }
  out << "  --config FILE                     settings file, lines \"name = value\" [env "
         "CHIRP_CONFIG]\n";
  out << "  --help                            show this text\n";
  return out.str();
}

std::string general_usage() {
  return "usage: chirp COMMAND [options]\n\n"
         "commands:\n"
         "  serve            run the HTTP API (and, on the embedded stack, background workers)\n"
         "  worker           run background jobs from RabbitMQ (full stack; needs --amqp-url)\n"
         "  migrate          create or update the database schema\n"
         "  createsuperuser  make an admin user\n"
         "  gatekeeper       list, get or set gatekeepers (gray-release switches)\n"
         "  backfill         copy friendships and news feeds SQL -> wide-column store (--reverse: "
         "back)\n"
         "  verify           compare friendships and news feeds in both stores (exit 1: they "
         "differ)\n"
         "  seed             fill a fresh database with a synthetic data set (users, follows, "
         "tweets)\n"
         "  routes           print the routing table: one \"METHOD PATTERN\" line per route\n\n"
         "Run \"chirp COMMAND --help\" for a command's options.\n";
}

}  // namespace chirp::app
