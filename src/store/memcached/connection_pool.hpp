#pragma once
// Connections to the memcached servers shared by request threads: libmemcachedutil's pool of
// clones of one configured handle. A memcached_st is used by one thread at a time, so each
// request leases one and the lease gives it back when it goes out of scope.
#include <libmemcached/memcached.h>
#include <libmemcachedutil-1.0/pool.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace chirp::store::memcached {

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::int64_t acquire_timeouts = 0;  // leases not granted because every connection stayed busy
};

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept : pool_(other.pool_), memc_(other.memc_) {
      other.memc_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    explicit operator bool() const { return memc_ != nullptr; }
    memcached_st* get() const { return memc_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, memcached_st* memc) : pool_(pool), memc_(memc) {}
    ConnectionPool* pool_ = nullptr;
    memcached_st* memc_ = nullptr;
  };

  // Takes ownership of `master`, whose behaviours and server list every connection copies.
  ConnectionPool(memcached_st* master, std::size_t size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An empty lease when no connection came free in time (about a second; see the .cpp).
  Lease acquire();
  PoolStats stats() const;

 private:
  void release(memcached_st* memc);

  memcached_st* master_;
  memcached_pool_st* pool_;
  std::size_t size_;
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::int64_t> acquire_timeouts_{0};
};

}  // namespace chirp::store::memcached
