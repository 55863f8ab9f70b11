#pragma once
// Whether one memcached server may be used right now, shared by every pooled connection.
//
// A circuit breaker: after a failure nothing goes to the server for `retry_after`; then one caller
// probes it while the others keep failing fast. The breaker also remembers when an erase may not
// have reached the server ("dirty"): the server may still hold a copy older than the store, so it
// is flushed before anything reads it again. Keys never move to another server (no ejection), so a
// key's copy can only be on its own server and flushing that one server is enough.
#include <libmemcached/memcached.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace chirp::store::memcached {

// libmemcached's last error on `memc`, without the handle address it starts with.
std::string memcached_error_text(const memcached_st* memc, memcached_return_t rc);

struct ServerStatus {
  std::string address;
  bool available = false;  // requests go to it (no failure within the retry wait, not dirty)
  bool dirty = false;      // to be flushed before its next use
  std::int64_t failures = 0;
  std::int64_t flushes = 0;
};

class ServerBreaker {
 public:
  // Takes ownership of `probe`: a handle on this server alone, used only to probe and flush it.
  ServerBreaker(std::string address, memcached_st* probe, std::chrono::milliseconds retry_after);
  ~ServerBreaker();
  ServerBreaker(const ServerBreaker&) = delete;
  ServerBreaker& operator=(const ServerBreaker&) = delete;

  // True when a request may use the server now. Once the wait after a failure is over, or when the
  // server is dirty, the first caller probes (and flushes) it; meanwhile others get false at once.
  bool admit();
  // Bumped by every failure: a multi-get compares it before and after to drop what a server
  // answered while an erase to it was failing.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  bool dirty() const { return dirty_.load(std::memory_order_acquire); }

  // `erase_lost`: the failed request was an erase, which may not have been applied.
  void record_failure(std::string_view operation, std::string_view error, bool erase_lost);
  // An erase skipped because the breaker was open.
  void record_lost_erase();

  // Probes now, whatever the breaker says (flushing first if dirty); true when the server answers.
  bool ping();
  ServerStatus status() const;
  const std::string& address() const { return address_; }

 private:
  static std::int64_t now_ns();
  bool recover(std::unique_lock<std::mutex>& lock, bool forced);
  bool probe(std::string& error);
  void open(std::int64_t now, std::string_view operation, std::string_view error);

  std::string address_;
  memcached_st* probe_;  // guarded by recovery_
  std::int64_t retry_after_ns_;
  std::mutex recovery_;                         // one prober at a time
  std::atomic<std::int64_t> open_until_ns_{0};  // 0: closed (requests flow)
  std::atomic<bool> dirty_{false};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> failures_{0};
  std::atomic<std::int64_t> flushes_{0};
  // Logging state, guarded by recovery_ or by the atomics' exchange (one line per outage).
  std::atomic<std::int64_t> down_since_ns_{0};
  std::int64_t last_probe_log_ns_ = 0;
  std::int64_t failed_probes_ = 0;
};

}  // namespace chirp::store::memcached
