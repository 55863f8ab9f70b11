#include "store/memcached/connection_pool.hpp"

#include <ctime>
#include <new>
#include <stdexcept>

namespace chirp::store::memcached {
namespace {

// libmemcachedutil turns the wait into a deadline of time(NULL) + tv_sec seconds plus tv_nsec, so
// the second is truncated: {1 s, 0.5 s} waits between 0.5 and 1.5 s. A request rarely waits at
// all (an operation holds a connection for well under a millisecond); when every connection is
// stuck, the caller treats the cache as missing rather than queueing without bound.
constexpr timespec kAcquireWait{1, 500'000'000};

}  // namespace

ConnectionPool::Lease::~Lease() {
  if (memc_ != nullptr) pool_->release(memc_);
}

ConnectionPool::ConnectionPool(memcached_st* master, std::size_t size)
    : master_(master), size_(size == 0 ? 1 : size) {
  auto count = static_cast<std::uint32_t>(size_);
  pool_ = memcached_pool_create(master_, count, count);
  if (pool_ == nullptr) {
    memcached_free(master_);
    throw std::bad_alloc();
  }
}

ConnectionPool::~ConnectionPool() {
  memcached_pool_destroy(pool_);
  memcached_free(master_);
}

ConnectionPool::Lease ConnectionPool::acquire() {
  memcached_return_t rc = MEMCACHED_SUCCESS;
  timespec wait = kAcquireWait;
  memcached_st* memc = memcached_pool_fetch(pool_, &wait, &rc);
  if (memc == nullptr) {
    acquire_timeouts_.fetch_add(1, std::memory_order_relaxed);
    return Lease();
  }
  in_use_.fetch_add(1, std::memory_order_relaxed);
  return Lease(this, memc);
}

void ConnectionPool::release(memcached_st* memc) {
  in_use_.fetch_sub(1, std::memory_order_relaxed);
  memcached_pool_release(pool_, memc);
}

PoolStats ConnectionPool::stats() const {
  return {size_, in_use_.load(std::memory_order_relaxed),
          acquire_timeouts_.load(std::memory_order_relaxed)};
}

}  // namespace chirp::store::memcached
