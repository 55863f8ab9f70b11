#include "app/commands.hpp"

#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>

#include "api/api.hpp"
#include "api/representations.hpp"
#include "app/config.hpp"
#include "app/seed.hpp"
#include "app/wiring.hpp"
#include "common/errors.hpp"
#include "common/text.hpp"
#include "domain/account_rules.hpp"
#include "domain/gatekeepers.hpp"
#include "http/server.hpp"
#include "store/rabbitmq/rabbit_job_consumer.hpp"

extern char** environ;

namespace chirp::app {
namespace {

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos && entry.starts_with("CHIRP_")) {
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  return env;
}

// Logs go to stderr (stdout stays free for command output such as JSON).
void set_up_logging(const Config& config) {
  spdlog::set_default_logger(spdlog::stderr_logger_mt("chirp"));
  spdlog::set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  spdlog::set_level(spdlog::level::from_str(config.log_level));
}

int serve(const Config& config) {
  Wiring wiring(config, /*migrate=*/true);
  wiring.open_kv_store();
  wiring.start_background_workers();
  api::Api api(wiring.services());

  http::ServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.io_threads = config.io_threads > 0
                           ? config.io_threads
                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.worker_threads = config.http_workers;
  options.worker_queue_limit = static_cast<std::size_t>(config.http_queue_limit);
  options.max_connections = static_cast<std::size_t>(config.max_connections);
  options.max_header_bytes = static_cast<std::size_t>(config.max_header_bytes);
  options.max_header_fields = static_cast<std::size_t>(config.max_header_fields);
  options.header_timeout = std::chrono::seconds(config.header_timeout_s);
  options.body_timeout = std::chrono::seconds(config.body_timeout_s);
  options.idle_timeout = std::chrono::seconds(config.idle_timeout_s);
  return http::run_server(options, [&api](http::Request& request) { return api.handle(request); });
}

// Consumes jobs from RabbitMQ with `--concurrency` consumers until SIGTERM/SIGINT; each consumer
// acknowledges a job only after it ran, so a killed worker's jobs are redelivered.
int worker(const Config& config) {
  if (config.amqp_url.empty()) throw UsageError("--amqp-url is required: workers consume RabbitMQ");
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by the consumer threads

  Wiring wiring(config, /*migrate=*/false);
  std::atomic<bool> stop{false};
  std::vector<std::thread> consumers;
  for (int i = 0; i < config.worker_concurrency; ++i) {
    consumers.emplace_back([&config, &wiring, &stop] {
      store::rabbitmq::RabbitJobConsumer consumer(store::rabbitmq::AmqpOptions{config.amqp_url},
                                                  config.worker_prefetch);
      consumer.run([&wiring](const domain::Job& job) { wiring.run_job(job); }, stop);
    });
  }
  spdlog::info("worker consuming jobs with {} consumers", config.worker_concurrency);
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("worker stopping (signal {})", received);
  stop = true;
  for (auto& t : consumers) t.join();
  return 0;
}

int migrate(const Config& config) {
  Wiring wiring(config, /*migrate=*/true);
  std::cout << "schema version " << wiring.schema_version() << "\n";
  return 0;
}

std::string prompt(const char* label, bool secret) {
  std::cerr << label << ": " << std::flush;
  if (secret) {
    // getpass is obsolete but the one portable way to read without echo from a terminal.
    const char* value = getpass("");
    return value ? value : "";
  }
  std::string value;
  std::getline(std::cin, value);
  return value;
}

int create_superuser(Config config) {
  bool interactive = isatty(STDIN_FILENO);
  auto ask = [&](std::string& field, const char* name, bool secret) {
    if (!field.empty()) return;
    if (!interactive) throw UsageError(std::string("--") + name + " is required");
    field = prompt(name, secret);
  };
  ask(config.username, "username", false);
  ask(config.email, "email", false);
  ask(config.password, "password", true);

  Wiring wiring(config, /*migrate=*/true);
  FieldErrors errors;
  auto check = [&errors](const char* field, std::vector<std::string> messages) {
    if (!messages.empty()) errors.emplace_back(field, std::move(messages));
  };
  auto username = trim(config.username), email = trim(config.email);
  check("username", domain::username_errors(username));
  check("email", domain::email_errors(email));
  check("password", domain::password_errors(config.password));
  if (!errors.empty()) throw ValidationError(std::move(errors));
  auto& users = wiring.user_repository();
  try {
    auto user = users.create({to_lower_ascii(username), to_lower_ascii(email),
                              wiring.password_hasher().hash(config.password), true, now_micros()});
    std::cout << "superuser " << user.username << " created with id " << user.id << "\n";
  } catch (const DuplicateKey& e) {
    std::cerr << "chirp createsuperuser: that " << e.field << " is already taken\n";
    return 1;
  }
  return 0;
}

// ---- gatekeeper (SPEC §11, DESIGN §1) ----
// `chirp gatekeeper list | get NAME | set NAME [--percent N] [--whitelist 1,2,3] [--description T]`
// prints JSON: the item for get and set, the array for list.

// The leading words of the command line (the subcommand and NAME), removed from `args` so that
// only options are left for parse_config.
std::vector<std::string> take_operands(std::vector<std::string>& args) {
  std::vector<std::string> operands;
  while (!args.empty() && !args.front().starts_with("-")) {
    operands.push_back(args.front());
    args.erase(args.begin());
  }
  return operands;
}

int gatekeeper(const Config& config, const std::vector<std::string>& operands) {
  static const char* kUsage =
      "expected list, get NAME or set NAME [--percent N] "
      "[--whitelist 1,2,3] [--description TEXT]";
  if (operands.empty()) throw UsageError(kUsage);
  const std::string& action = operands[0];
  const bool has_change =
      config.gatekeeper_percent || config.gatekeeper_whitelist || config.gatekeeper_description;
  if (action != "list" && action != "get" && action != "set") {
    throw UsageError("unknown action \"" + action + "\": " + kUsage);
  }
  const std::size_t wanted = action == "list" ? 1 : 2;
  if (operands.size() < wanted) throw UsageError(action + " needs a gatekeeper NAME");
  if (operands.size() > wanted)
    throw UsageError("unexpected argument \"" + operands[wanted] + "\"");
  if (action != "set" && has_change) {
    throw UsageError("--percent, --whitelist and --description are for set only");
  }
  if (action == "set" && !has_change) {
    throw UsageError("set needs --percent, --whitelist or --description");
  }
  if (wanted == 2) {
    if (auto error = domain::gatekeeper_name_error(operands[1])) {
      throw UsageError("bad NAME \"" + operands[1] + "\": " + *error);
    }
  }

  Wiring wiring(config, /*migrate=*/true);
  auto& gatekeepers = wiring.gatekeepers();
  boost::json::value out;
  if (action == "list") {
    boost::json::array items;
    for (const auto& g : gatekeepers.list()) items.push_back(api::gatekeeper_json(g));
    out = std::move(items);
  } else if (action == "get") {
    out = api::gatekeeper_json(gatekeepers.get(operands[1]));
  } else {
    domain::GatekeeperChange change{config.gatekeeper_percent, config.gatekeeper_whitelist,
                                    config.gatekeeper_description};
    out = api::gatekeeper_json(gatekeepers.set(operands[1], change));
  }
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}
// ---- end of gatekeeper ----

// backfill and verify (DESIGN §6): output lines on stdout; verify exits 1 when the stores differ.
int maintenance(const Config& config, MaintenanceRequest::Kind kind) {
  MaintenanceRequest request;
  request.kind = kind;
  request.friendships = config.maintenance_table != "newsfeeds";
  request.newsfeeds = config.maintenance_table != "friendships";
  request.reverse = config.backfill_reverse;
  request.restart = config.backfill_restart;
  request.from_user = config.maintenance_from_user;
  Wiring wiring(config, /*migrate=*/true);
  return maintenance_command(wiring.maintenance(), request, config.data_dir, std::cout);
}

// The routing table the server answers with, one "METHOD PATTERN" line per route (SPEC §2 order).
// The functional suite's authorization matrix compares it with its own table, so a route cannot
// be added without its row there.
int routes() {
  for (const auto& route : api::all_routes()) {
    std::cout << route.method << " " << route.pattern << "\n";
  }
  return 0;
}

std::optional<Command> command_named(std::string_view name) {
  if (name == "serve") return Command::Serve;
  if (name == "worker") return Command::Worker;
  if (name == "migrate") return Command::Migrate;
  if (name == "createsuperuser") return Command::CreateSuperuser;
  if (name == "gatekeeper") return Command::Gatekeeper;
  if (name == "backfill") return Command::Backfill;
  if (name == "verify") return Command::Verify;
  if (name == "seed") return Command::Seed;
  if (name == "routes") return Command::Routes;
  return std::nullopt;
}

}  // namespace

int run_cli(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << general_usage();
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << general_usage();
    return 0;
  }
  auto command = command_named(args[0]);
  if (!command) {
    std::cerr << "chirp: unknown command \"" << args[0] << "\"\n\n" << general_usage();
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  // gatekeeper: its action and NAME come before the options.
  const std::vector<std::string> operands =
      *command == Command::Gatekeeper ? take_operands(rest) : std::vector<std::string>{};
  try {
    bool help = false;
    Config config = parse_config(*command, rest, environment(), &help);
    if (help) {
      std::cout << usage(*command);
      return 0;
    }
    set_up_logging(config);
    switch (*command) {
      case Command::Serve:
        return serve(config);
      case Command::Worker:
        return worker(config);
      case Command::Migrate:
        return migrate(config);
      case Command::CreateSuperuser:
        return create_superuser(config);
      case Command::Gatekeeper:
        return gatekeeper(config, operands);
      case Command::Backfill:
        return maintenance(config, MaintenanceRequest::Kind::Backfill);
      case Command::Verify:
        return maintenance(config, MaintenanceRequest::Kind::Verify);
      case Command::Seed:
        return seed_command(config, std::cout);
      case Command::Routes:
        return routes();
    }
  } catch (const UsageError& e) {
    std::cerr << "chirp " << args[0] << ": " << e.what() << "\n";
    return 2;
  } catch (const ValidationError& e) {
    for (const auto& [field, messages] : e.errors) {
      for (const auto& m : messages)
        std::cerr << "chirp " << args[0] << ": " << field << ": " << m << "\n";
    }
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "chirp " << args[0] << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "chirp " << args[0] << ": " << e.what() << "\n";
    return 1;
  }
  return 1;
}

}  // namespace chirp::app
