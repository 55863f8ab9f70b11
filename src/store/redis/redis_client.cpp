#include "store/redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <utility>

namespace chirp::store::redis {
namespace {

constexpr std::string_view kScheme = "redis://";

int parse_number(std::string_view text, int min, int max, std::string_view what,
                 std::string_view url) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
      value > max) {
    throw std::invalid_argument("redis url " + std::string(url) + ": bad " + std::string(what) +
                                " '" + std::string(text) + "'");
  }
  return value;
}

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

RedisReply copy_reply(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.type = reply.type == REDIS_REPLY_STRING   ? RedisReply::Type::kString
                 : reply.type == REDIS_REPLY_STATUS ? RedisReply::Type::kStatus
                                                    : RedisReply::Type::kError;
      out.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(copy_reply(*reply.element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

// AUTH and SELECT on a new connection; returns what went wrong, empty on success.
std::string run_setup_command(redisContext* context, const RedisCommand& command) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const std::string& arg : command) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (!reply) return context->errstr;
  std::string why = reply->type == REDIS_REPLY_ERROR ? std::string(reply->str, reply->len) : "";
  freeReplyObject(reply);
  return why;
}

std::int64_t ticks(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

RedisEndpoint parse_redis_url(std::string_view url) {
  auto fail = [&](std::string_view why) {
    throw std::invalid_argument("redis url " + std::string(url) + ": " + std::string(why) +
                                " (expected redis://[:password@]host[:port][/db])");
  };
  if (!url.starts_with(kScheme)) fail("must start with redis://");
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) fail("options are not supported");

  RedisEndpoint endpoint;
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.size() < rest.size()) {
    std::string_view db = rest.substr(authority.size() + 1);
    if (!db.empty()) endpoint.db = parse_number(db, 0, 1 << 20, "database number", url);
  }
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view user_info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = user_info.find(':');
    if (colon == std::string_view::npos || colon != 0) {
      fail("only a password is supported in the user info (redis://:password@host)");
    }
    endpoint.password = std::string(user_info.substr(colon + 1));
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {  // [::1]:6379
    auto close = authority.find(']');
    if (close == std::string_view::npos) fail("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail("garbage after the host");
      port = after.substr(1);
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) fail("missing host");
  endpoint.host = std::string(host);
  if (!port.empty() || authority.ends_with(':')) {
    endpoint.port = parse_number(port, 1, 65535, "port", url);
  }
  return endpoint;
}

// A connection taken from the pool; goes back (or is freed when broken) on destruction.
class RedisClient::Lease {
 public:
  Lease(RedisClient& client, redisContext* context, bool reused)
      : client_(&client), context_(context), reused_(reused) {}
  Lease(Lease&& other) noexcept
      : client_(other.client_),
        context_(std::exchange(other.context_, nullptr)),
        reused_(other.reused_),
        broken_(other.broken_),
        timed_out_(other.timed_out_) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (context_) client_->release(context_, broken_ || context_->err != 0);
  }

  redisContext* get() const { return context_; }
  // Taken from the idle pool rather than connected for this call: may have gone stale.
  bool reused() const { return reused_; }
  void mark_broken(bool timed_out) {
    broken_ = true;
    timed_out_ = timed_out;
  }
  bool timed_out() const { return timed_out_; }

 private:
  RedisClient* client_;
  redisContext* context_;
  bool reused_;
  bool broken_ = false;
  bool timed_out_ = false;
};

RedisClient::RedisClient(RedisOptions options)
    : options_(std::move(options)), endpoint_(parse_redis_url(options_.url)) {
  if (options_.pool_size == 0) throw std::invalid_argument("redis pool size must be at least 1");
  // hiredis writes with write(2): a connection the server closed would raise SIGPIPE and kill the
  // process. A server never wants that signal; errors come back as EPIPE instead.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    std::signal(SIGPIPE, SIG_IGN);
  }
}

RedisClient::~RedisClient() {
  std::lock_guard lock(pool_mutex_);
  for (redisContext* context : idle_) redisFree(context);
}

redisContext* RedisClient::connect() {
  redisContext* context = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                                  to_timeval(options_.connect_timeout));
  if (!context || context->err) {
    std::string why = "redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) +
                      ": connect: " + (context ? context->errstr : "out of memory");
    if (context) redisFree(context);
    record_failure(why);
    throw RedisUnavailable(why);
  }
  redisSetTimeout(context, to_timeval(options_.command_timeout));
  redisEnableKeepAlive(context);
  connects_.fetch_add(1, std::memory_order_relaxed);

  std::vector<RedisCommand> setup;
  if (!endpoint_.password.empty()) setup.push_back({"AUTH", endpoint_.password});
  if (endpoint_.db != 0) setup.push_back({"SELECT", std::to_string(endpoint_.db)});
  for (const RedisCommand& command : setup) {
    if (std::string error = run_setup_command(context, command); !error.empty()) {
      redisFree(context);
      std::string why = "redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) + ": " +
                        command.front() + " failed: " + error;
      record_failure(why);
      throw RedisUnavailable(why);
    }
  }
  return context;
}

RedisClient::Lease RedisClient::acquire() {
  std::unique_lock lock(pool_mutex_);
  auto deadline = Clock::now() + options_.connect_timeout + options_.command_timeout;
  while (true) {
    if (!idle_.empty()) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      ++in_use_;
      return Lease(*this, context, true);
    }
    if (open_ < options_.pool_size) {
      ++open_;
      ++in_use_;
      lock.unlock();
      try {
        return Lease(*this, connect(), false);
      } catch (...) {
        lock.lock();
        --open_;
        --in_use_;
        pool_available_.notify_one();
        throw;
      }
    }
    if (pool_available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.pool_size) {
      throw RedisUnavailable("redis: no free connection in the pool of " +
                             std::to_string(options_.pool_size));
    }
  }
}

void RedisClient::release(redisContext* context, bool broken) {
  {
    std::lock_guard lock(pool_mutex_);
    --in_use_;
    if (broken) {
      --open_;
    } else {
      idle_.push_back(context);
      context = nullptr;
    }
  }
  pool_available_.notify_one();
  if (context) redisFree(context);
}

void RedisClient::drop_idle() {
  std::vector<redisContext*> stale;
  {
    std::lock_guard lock(pool_mutex_);
    stale.swap(idle_);
    open_ -= stale.size();
  }
  pool_available_.notify_all();
  for (redisContext* context : stale) redisFree(context);
}

std::int64_t RedisClient::check_breaker() {
  std::int64_t retry_at = retry_at_.load();
  if (retry_at == 0) return 0;
  std::int64_t now = ticks(Clock::now());
  if (now >= retry_at) {
    std::int64_t claimed = ticks(Clock::now() + options_.retry_after_failure);
    if (retry_at_.compare_exchange_strong(retry_at, claimed)) return claimed;
  }
  fast_failures_.fetch_add(1, std::memory_order_relaxed);
  throw RedisUnavailable("redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) +
                         " is unavailable (recent failure; not retrying yet)");
}

void RedisClient::record_failure(std::string_view what) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  bool was_closed = retry_at_.exchange(ticks(Clock::now() + options_.retry_after_failure)) == 0;
  // The idle connections most likely broke with this one (server restart, network): drop them so
  // the probe after the pause connects afresh instead of failing on a stale socket.
  drop_idle();
  if (was_closed) {
    spdlog::warn("{}; failing fast for {} ms before trying again", what,
                 options_.retry_after_failure.count());
  }
}

std::vector<RedisReply> RedisClient::exchange(Lease& lease,
                                              std::span<const RedisCommand> commands) {
  redisContext* context = lease.get();
  auto io_failure = [&](const char* step) {
    bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT;
    lease.mark_broken(timed_out);
    std::string why =
        timed_out ? "timed out after " + std::to_string(options_.command_timeout.count()) + " ms"
                  : std::string(context->errstr);
    return RedisUnavailable("redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) +
                            ": " + step + ": " + why);
  };
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const RedisCommand& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      throw io_failure("send");
    }
  }
  round_trips_.fetch_add(1, std::memory_order_relaxed);
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    errno = 0;
    if (redisGetReply(context, &raw) != REDIS_OK || raw == nullptr) {
      throw io_failure("read");
    }
    replies.push_back(copy_reply(*static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return replies;
}

void RedisClient::flush_if_dirty(Lease& lease) {
  if (!dirty()) return;
  std::lock_guard lock(flush_mutex_);
  std::uint64_t marks = dirty_marks_.load();
  if (marks == flushed_marks_.load()) return;
  const RedisCommand flush{"FLUSHDB"};
  auto replies = exchange(lease, std::span(&flush, 1));
  if (replies.front().is_error()) {
    // Without the flush stale lists could be served: treat Redis as unusable until it works.
    throw RedisUnavailable("redis FLUSHDB failed: " + replies.front().text);
  }
  flushed_marks_.store(marks);
  flushes_.fetch_add(1, std::memory_order_relaxed);
  spdlog::info("redis {}:{}: database {} flushed: cache writes were lost while it was unreachable",
               endpoint_.host, endpoint_.port, endpoint_.db);
}

std::vector<RedisReply> RedisClient::run(std::span<const RedisCommand> commands) {
  std::int64_t claimed = check_breaker();
  for (int attempt = 0;; ++attempt) {
    Lease lease = acquire();
    try {
      flush_if_dirty(lease);
      auto replies = exchange(lease, commands);
      if (claimed != 0) retry_at_.compare_exchange_strong(claimed, 0);
      return replies;
    } catch (const RedisUnavailable& e) {
      // A pooled connection may have died with a server restart while idle; one retry on a fresh
      // connection tells that apart from Redis being down. Every script is safe to repeat.
      if (attempt == 0 && lease.reused() && !lease.timed_out() && lease.get()->err != 0) {
        drop_idle();
        continue;
      }
      record_failure(e.what());
      throw;
    }
  }
}

std::vector<RedisReply> RedisClient::pipeline(std::span<const RedisCommand> commands) {
  if (commands.empty()) return {};
  return run(commands);
}

RedisReply RedisClient::command(RedisCommand command) {
  return std::move(run(std::span(&command, 1)).front());
}

std::string RedisClient::script_sha(const RedisScript& script) {
  {
    std::lock_guard lock(script.sha_mutex_);
    if (!script.sha_.empty()) return script.sha_;
  }
  RedisReply loaded = command({"SCRIPT", "LOAD", script.source_});
  if (loaded.type != RedisReply::Type::kString) {
    throw RedisError("redis SCRIPT LOAD: " + loaded.text);
  }
  std::lock_guard lock(script.sha_mutex_);
  script.sha_ = loaded.text;
  return script.sha_;
}

RedisReply RedisClient::eval(const RedisScript& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args) {
  RedisCommand call;
  call.reserve(3 + keys.size() + args.size());
  call.push_back("EVALSHA");
  call.push_back(script_sha(script));
  call.push_back(std::to_string(keys.size()));
  call.insert(call.end(), keys.begin(), keys.end());
  call.insert(call.end(), args.begin(), args.end());
  RedisReply reply = run(std::span(&call, 1)).front();
  if (reply.is_error() && reply.text.starts_with("NOSCRIPT")) {
    // The server restarted and lost its script cache; EVAL runs the script and caches it again.
    call[0] = "EVAL";
    call[1] = script.source_;
    reply = run(std::span(&call, 1)).front();
  }
  if (reply.is_error()) throw RedisError("redis script: " + reply.text);
  return reply;
}

std::vector<RedisReply> RedisClient::eval_each(const RedisScript& script,
                                               const std::vector<ScriptCall>& calls) {
  auto command_of = [&](const ScriptCall& call, bool by_sha) {
    RedisCommand command;
    command.reserve(3 + call.keys.size() + call.args.size());
    command.push_back(by_sha ? "EVALSHA" : "EVAL");
    command.push_back(by_sha ? script_sha(script) : script.source_);
    command.push_back(std::to_string(call.keys.size()));
    command.insert(command.end(), call.keys.begin(), call.keys.end());
    command.insert(command.end(), call.args.begin(), call.args.end());
    return command;
  };
  std::vector<RedisCommand> commands;
  commands.reserve(calls.size());
  for (const auto& call : calls) commands.push_back(command_of(call, true));
  std::vector<RedisReply> replies = run(commands);
  // A restarted server lost its script cache: the calls it refused run again with the source.
  std::vector<std::size_t> refused;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (replies[i].is_error() && replies[i].text.starts_with("NOSCRIPT")) refused.push_back(i);
  }
  if (!refused.empty()) {
    std::vector<RedisCommand> again;
    for (auto i : refused) again.push_back(command_of(calls[i], false));
    std::vector<RedisReply> retried = run(again);
    for (std::size_t j = 0; j < refused.size(); ++j) replies[refused[j]] = std::move(retried[j]);
  }
  return replies;
}

bool RedisClient::ping() {
  try {
    RedisReply reply = command({"PING"});
    return reply.type == RedisReply::Type::kStatus && reply.text == "PONG";
  } catch (const std::exception&) {
    return false;
  }
}

RedisPoolStats RedisClient::pool_stats() const {
  std::lock_guard lock(pool_mutex_);
  return RedisPoolStats{options_.pool_size, open_, in_use_};
}

RedisCounters RedisClient::counters() const {
  return RedisCounters{round_trips_.load(), failures_.load(), fast_failures_.load(),
                       connects_.load(), flushes_.load()};
}

}  // namespace chirp::store::redis
