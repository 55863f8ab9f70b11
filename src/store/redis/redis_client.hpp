#pragma once
// A small blocking Redis client over hiredis: a pool of connections, pipelines, Lua scripts, and
// the failure handling every Redis-backed cache in chirp shares (DESIGN §5.2: caches are
// optimisations).
//
// Failure handling:
// - Circuit breaker: after a connection or command failure, calls fail fast with RedisUnavailable
//   for `retry_after_failure`; then one caller probes Redis again while the others keep failing
//   fast.
// - Dirty flag: a cache whose write (add/remove/invalidate) did not reach Redis calls mark_dirty().
//   Once Redis answers again, before any other command, the client empties its database with
//   FLUSHDB, so no copy cached before the failed write can be served after it. This is why chirp's
//   Redis database (the /db of the URL) must be dedicated to chirp's caches: it may be flushed.
// - A pooled connection found closed (the server restarted while it sat idle) is retried once on a
//   fresh connection, so a restart costs no failure; a timeout is never retried.
// - Constructing a client ignores SIGPIPE if nothing handles it: hiredis writes with write(2), and
//   a connection closed by the server would otherwise kill the process.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;  // hiredis, kept out of includers

namespace chirp::store::redis {

struct RedisOptions {
  std::string url = "redis://127.0.0.1:6379/0";  // redis://[:password@]host[:port][/db]
  std::size_t pool_size = 8;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds command_timeout{500};
  std::chrono::milliseconds retry_after_failure{1000};
};

struct RedisEndpoint {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string password;  // empty: no AUTH
};

// Throws std::invalid_argument naming what is wrong.
RedisEndpoint parse_redis_url(std::string_view url);

// Redis could not be reached or did not answer in time (or the breaker is open): a cache treats it
// as a miss, a write that did not happen as a reason to flush later.
class RedisUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Redis answered with an error reply where the caller expected a result.
class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A reply copied out of hiredis, so callers never hold hiredis memory.
struct RedisReply {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };
  Type type = Type::kNil;
  std::int64_t integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<RedisReply> elements;

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

using RedisCommand = std::vector<std::string>;

// A Lua script. Its SHA1 is learnt from SCRIPT LOAD on first use and kept for the process; a server
// that lost its script cache (restart) answers NOSCRIPT and the client falls back to EVAL once.
class RedisScript {
 public:
  explicit RedisScript(std::string source) : source_(std::move(source)) {}
  const std::string& source() const { return source_; }

 private:
  friend class RedisClient;
  std::string source_;
  mutable std::mutex sha_mutex_;
  mutable std::string sha_;
};

struct RedisPoolStats {
  std::size_t capacity = 0;  // pool_size
  std::size_t open = 0;      // connections currently established
  std::size_t in_use = 0;    // connections leased right now
};

// Monotonic counters for /metrics.
struct RedisCounters {
  std::int64_t round_trips = 0;    // pipelines sent (a single command is a pipeline of one)
  std::int64_t failures = 0;       // connection or command failures (each opens the breaker)
  std::int64_t fast_failures = 0;  // calls refused while the breaker was open
  std::int64_t connects = 0;       // connections established
  std::int64_t flushes = 0;        // FLUSHDBs run because a write had been lost
};

class RedisClient {
 public:
  // Parses the URL (std::invalid_argument) but does not connect: Redis may come up later.
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends all commands in one round trip and returns their replies in order (error replies
  // included, as kError). Throws RedisUnavailable.
  std::vector<RedisReply> pipeline(std::span<const RedisCommand> commands);
  RedisReply command(RedisCommand command);

  // EVALSHA (EVAL on NOSCRIPT). Throws RedisUnavailable, or RedisError on an error reply.
  RedisReply eval(const RedisScript& script, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args);
  // The script once per (keys, args) call, all in one round trip; replies in order, an error reply
  // as kError (not thrown). Throws RedisUnavailable.
  struct ScriptCall {
    std::vector<std::string> keys, args;
  };
  std::vector<RedisReply> eval_each(const RedisScript& script,
                                    const std::vector<ScriptCall>& calls);

  // True when Redis answers PING now (also runs a pending flush). Never throws.
  bool ping();

  // A write to the cache was lost: flush the database before the next use (see the top comment).
  void mark_dirty() { dirty_marks_.fetch_add(1); }
  bool dirty() const { return dirty_marks_.load() != flushed_marks_.load(); }

  const RedisEndpoint& endpoint() const { return endpoint_; }
  RedisPoolStats pool_stats() const;
  RedisCounters counters() const;

 private:
  class Lease;
  using Clock = std::chrono::steady_clock;

  redisContext* connect();
  Lease acquire();
  void release(redisContext* context, bool broken);
  void drop_idle();
  // Throws RedisUnavailable while the breaker is open. After the pause it lets one caller through
  // to probe and returns the deadline that caller claimed (0 when the breaker is closed).
  std::int64_t check_breaker();
  void record_failure(std::string_view what);
  void flush_if_dirty(Lease& lease);
  std::vector<RedisReply> exchange(Lease& lease, std::span<const RedisCommand> commands);
  std::vector<RedisReply> run(std::span<const RedisCommand> commands);
  std::string script_sha(const RedisScript& script);

  RedisOptions options_;
  RedisEndpoint endpoint_;

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_available_;
  std::vector<redisContext*> idle_;
  std::size_t open_ = 0;  // idle + leased + being connected
  std::size_t in_use_ = 0;

  // Clock ticks until which calls fail fast; 0 when the breaker is closed.
  std::atomic<std::int64_t> retry_at_{0};
  // mark_dirty() counts up; a FLUSHDB covers the marks made before it was sent. Counting rather
  // than a flag keeps a mark made while a flush is in flight from being cleared by that flush.
  std::atomic<std::uint64_t> dirty_marks_{0};
  std::atomic<std::uint64_t> flushed_marks_{0};
  std::mutex flush_mutex_;

  std::atomic<std::int64_t> round_trips_{0};
  std::atomic<std::int64_t> failures_{0};
  std::atomic<std::int64_t> fast_failures_{0};
  std::atomic<std::int64_t> connects_{0};
  std::atomic<std::int64_t> flushes_{0};
};

}  // namespace chirp::store::redis
