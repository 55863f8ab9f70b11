#pragma once
// ObjectCache on Memcached for the full stack (DESIGN §5.2): users, profiles and tweets under
// "chirp:{key}", spread over the servers by consistent hashing (ketama), read a page at a time with
// one multi-get.
//
// The cache is an optimisation, so memcached being away never fails a request: while a server is
// unreachable its keys miss, sets to it are dropped, and after a failure nothing is sent to it for
// `retry_after_failure` (a per-server circuit breaker; see server_breaker.hpp). An erase that may
// not have reached a server marks it dirty, and a dirty server is flushed before it is read again,
// so a write made while it was away is never hidden by an older copy once it is back. Keys never
// move between servers (no ejection): one server down misses only its own keys, and flushing that
// server alone is enough.
//
// Flushing empties the whole server, so the servers must be dedicated to chirp. The guarantee holds
// per chirp process: another process that never lost contact with the server keeps reading it, and
// a copy there that this process failed to erase lives until the flush or its expiry.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/caches.hpp"
#include "store/memcached/connection_pool.hpp"
#include "store/memcached/server_breaker.hpp"

namespace chirp::store::memcached {

struct MemcachedOptions {
  std::string url;  // memcached://host:port[,host:port...]
  std::size_t pool_size = 8;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds io_timeout{500};
  std::chrono::seconds item_expiry{86400};
  std::chrono::milliseconds retry_after_failure{1000};
};

class MemcachedObjectCache final : public domain::ObjectCache {
 public:
  // Throws std::invalid_argument for a bad url. Does not connect: servers may come up later.
  explicit MemcachedObjectCache(MemcachedOptions options);
  ~MemcachedObjectCache() override;
  MemcachedObjectCache(const MemcachedObjectCache&) = delete;
  MemcachedObjectCache& operator=(const MemcachedObjectCache&) = delete;

  std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override;
  void set(std::string_view key, std::string_view value) override;
  void add(std::string_view key, std::string_view value) override;
  void erase(std::string_view key) override;

  std::int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::int64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  // Requests sent to a server (a multi-get counts once per server it asks; retries count again).
  std::int64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  // Probes every server now (flushing a dirty one); true when all of them answer.
  bool ping();
  PoolStats pool_stats() const { return pool_->stats(); }
  std::vector<ServerStatus> servers() const;

 private:
  struct HandleDeleter {
    void operator()(memcached_st* memc) const { memcached_free(memc); }
  };

  using StoreCall = memcached_return_t (*)(memcached_st*, const char*, size_t, const char*, size_t,
                                           time_t, uint32_t);
  void store(std::string_view key, std::string_view value, StoreCall write);
  ServerBreaker& breaker_of(std::string_view full_key) const;
  std::size_t server_of(std::string_view full_key) const;
  ConnectionPool::Lease lease_for_erase();
  std::time_t expiration() const;

  MemcachedOptions options_;
  // A clone of the configured handle used only to map keys to servers (a const call, safe to share
  // between threads).
  std::unique_ptr<memcached_st, HandleDeleter> hasher_;
  std::vector<std::unique_ptr<ServerBreaker>> breakers_;  // by libmemcached's server position
  std::unique_ptr<ConnectionPool> pool_;
  std::atomic<std::int64_t> hits_{0};
  std::atomic<std::int64_t> misses_{0};
  std::atomic<std::int64_t> requests_{0};
};

}  // namespace chirp::store::memcached
