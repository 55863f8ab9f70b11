#include "store/memcached/server_breaker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

namespace chirp::store::memcached {
namespace {

// Never stored: a get of it proves the server answers.
constexpr std::string_view kProbeKey = "chirp:probe";
// While a server stays down, at most one line per this interval (plus one when it goes, one when
// it comes back), whatever the request rate.
constexpr std::int64_t kStillDownLogIntervalNs = 30'000'000'000;

}  // namespace

std::string memcached_error_text(const memcached_st* memc, memcached_return_t rc) {
  const char* message = memcached_last_error_message(memc);
  if (message == nullptr) return memcached_strerror(memc, rc);
  std::string_view text(message);
  if (text.starts_with("(0x")) {
    auto close = text.find(") ");
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
  }
  return std::string(text);
}

ServerBreaker::ServerBreaker(std::string address, memcached_st* probe,
                             std::chrono::milliseconds retry_after)
    : address_(std::move(address)),
      probe_(probe),
      retry_after_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(retry_after).count()) {}

ServerBreaker::~ServerBreaker() {
  memcached_free(probe_);
}

std::int64_t ServerBreaker::now_ns() {
  auto since_boot = std::chrono::steady_clock::now().time_since_epoch();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(since_boot).count();
  return ns > 0 ? ns : 1;  // 0 means "closed"
}

bool ServerBreaker::admit() {
  auto until = open_until_ns_.load(std::memory_order_acquire);
  if (until == 0 && !dirty_.load(std::memory_order_acquire)) return true;
  if (until != 0 && now_ns() < until) return false;
  std::unique_lock lock(recovery_, std::try_to_lock);
  if (!lock.owns_lock()) return false;  // someone else is probing: fail fast meanwhile
  return recover(lock, false);
}

void ServerBreaker::record_failure(std::string_view operation, std::string_view error,
                                   bool erase_lost) {
  // Dirty before the generation moves and the breaker opens: whoever sees either also sees this.
  if (erase_lost) dirty_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  failures_.fetch_add(1, std::memory_order_relaxed);
  open(now_ns(), operation, error);
}

void ServerBreaker::record_lost_erase() {
  dirty_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

bool ServerBreaker::ping() {
  std::unique_lock lock(recovery_);
  return recover(lock, true);
}

ServerStatus ServerBreaker::status() const {
  bool is_dirty = dirty();
  return {address_, open_until_ns_.load(std::memory_order_acquire) == 0 && !is_dirty, is_dirty,
          failures_.load(std::memory_order_relaxed), flushes_.load(std::memory_order_relaxed)};
}

bool ServerBreaker::recover(std::unique_lock<std::mutex>& lock, bool forced) {
  (void)lock;  // held by the caller: one prober at a time
  auto now = now_ns();
  auto until = open_until_ns_.load(std::memory_order_acquire);
  if (!forced) {  // another thread may have recovered it, or failed it again, meanwhile
    if (until == 0 && !dirty()) return true;
    if (until != 0 && now < until) return false;
  }
  std::string error;
  bool answered = probe(error);
  bool flushed = false;
  if (answered && dirty_.exchange(false, std::memory_order_acq_rel)) {
    // An erase may have been lost while the server was unreachable: drop everything it holds.
    memcached_return_t rc = memcached_flush(probe_, 0);
    if (memcached_success(rc)) {
      flushed = true;
      flushes_.fetch_add(1, std::memory_order_relaxed);
    } else {
      dirty_.store(true, std::memory_order_release);
      answered = false;
      error = "flush: " + memcached_error_text(probe_, rc);
    }
  }
  if (!answered) {
    generation_.fetch_add(1, std::memory_order_acq_rel);
    ++failed_probes_;
    bool was_open = until != 0;
    open(now, "probe", error);
    auto since = down_since_ns_.load(std::memory_order_acquire);
    if (was_open && now - std::max(since, last_probe_log_ns_) >= kStillDownLogIntervalNs) {
      last_probe_log_ns_ = now;
      spdlog::warn("memcached {} still unavailable after {} s ({} probes): {}", address_,
                   (now - since) / 1'000'000'000, failed_probes_, error);
    }
    return false;
  }
  open_until_ns_.store(0, std::memory_order_release);
  auto since = down_since_ns_.exchange(0, std::memory_order_acq_rel);
  if (since != 0 || flushed) {
    spdlog::info("memcached {} is back after {} ms{}", address_,
                 since == 0 ? 0 : (now - since) / 1'000'000,
                 flushed ? "; flushed it, since an erase may have been lost meanwhile" : "");
  }
  failed_probes_ = 0;
  last_probe_log_ns_ = now;
  return true;
}

bool ServerBreaker::probe(std::string& error) {
  // A fresh connection: the old one may predate a restart and fail once for that alone.
  memcached_quit(probe_);
  memcached_return_t rc = MEMCACHED_SUCCESS;
  std::size_t length = 0;
  std::uint32_t flags = 0;
  char* value = memcached_get(probe_, kProbeKey.data(), kProbeKey.size(), &length, &flags, &rc);
  std::free(value);
  if (rc == MEMCACHED_SUCCESS || rc == MEMCACHED_NOTFOUND) return true;
  error = memcached_error_text(probe_, rc);
  return false;
}

void ServerBreaker::open(std::int64_t now, std::string_view operation, std::string_view error) {
  open_until_ns_.store(now + retry_after_ns_, std::memory_order_release);
  std::int64_t up = 0;
  if (down_since_ns_.compare_exchange_strong(up, now, std::memory_order_acq_rel)) {
    spdlog::warn("memcached {} unavailable ({}: {}); serving from the stores, retrying every {} ms",
                 address_, operation, error, retry_after_ns_ / 1'000'000);
  }
}

}  // namespace chirp::store::memcached
