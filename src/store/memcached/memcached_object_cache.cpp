#include "store/memcached/memcached_object_cache.hpp"

#include <fmt/format.h>

#include <limits>
#include <new>
#include <stdexcept>
#include <unordered_map>

#include "store/memcached/memcached_url.hpp"

namespace chirp::store::memcached {
namespace {

constexpr std::string_view kKeyPrefix = "chirp:";
constexpr std::size_t kMaxKeyLength = MEMCACHED_MAX_KEY - 1;
// memcached reads an expiry longer than 30 days as a Unix time.
constexpr std::int64_t kLongestRelativeExpiry = 30 * 24 * 3600;
// An erase waits longer for a connection than a read: giving up on it costs a flush.
constexpr int kEraseAcquireAttempts = 3;

using Values = std::vector<std::optional<std::string>>;

std::string full_key(std::string_view key) {
  std::string full;
  full.reserve(kKeyPrefix.size() + key.size());
  full.append(kKeyPrefix).append(key);
  return full;
}

bool key_fits(std::string_view key) {
  return kKeyPrefix.size() + key.size() <= kMaxKeyLength;
}

// The server answered but would not store this item (too large, out of memory): not a failure
// of the server.
bool rejected_by_server(memcached_return_t rc) {
  return rc == MEMCACHED_E2BIG || rc == MEMCACHED_SERVER_MEMORY_ALLOCATION_FAILURE ||
         rc == MEMCACHED_NOTSTORED || rc == MEMCACHED_KEY_TOO_BIG ||
         rc == MEMCACHED_BAD_KEY_PROVIDED;
}

void set_behavior(memcached_st* memc, memcached_behavior_t flag, std::uint64_t value,
                  std::string_view name) {
  memcached_return_t rc = memcached_behavior_set(memc, flag, value);
  if (memcached_failed(rc)) {
    throw std::runtime_error(
        fmt::format("memcached: cannot set {}: {}", name, memcached_strerror(memc, rc)));
  }
}

std::uint64_t count_ms(std::chrono::milliseconds d) {
  return static_cast<std::uint64_t>(d.count() > 0 ? d.count() : 1);
}

memcached_st* configured_handle(const MemcachedOptions& options,
                                const std::vector<MemcachedServer>& servers) {
  memcached_st* memc = memcached_create(nullptr);
  if (memc == nullptr) throw std::bad_alloc();
  try {
    // The text protocol: a multi-get is one "get k1 k2 ..." line instead of a packet per key, which
    // cost memcached ~30% more CPU per feed page (50-odd keys) and doubled the bytes it read; the
    // binary protocol is also deprecated upstream. Keys are chirp's own ("tweet:12"): never spaces
    // or control characters, and key_fits() bounds their length.
    set_behavior(memc, MEMCACHED_BEHAVIOR_BINARY_PROTOCOL, 0, "text protocol");
    set_behavior(memc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1, "TCP_NODELAY");
    // Ketama consistent hashing: adding or removing a server moves only that server's share.
    set_behavior(memc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1, "ketama");
    set_behavior(memc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, count_ms(options.connect_timeout),
                 "connect timeout");
    set_behavior(memc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, count_ms(options.io_timeout), "io timeout");
    set_behavior(memc, MEMCACHED_BEHAVIOR_SND_TIMEOUT, count_ms(options.io_timeout) * 1000,
                 "send timeout");
    set_behavior(memc, MEMCACHED_BEHAVIOR_RCV_TIMEOUT, count_ms(options.io_timeout) * 1000,
                 "receive timeout");
    // The breakers decide when a failed server is tried again. libmemcached's own back-off (per
    // pooled connection, in whole seconds) would add a second, coarser one, so it never starts.
    // Ejection (AUTO_EJECT_HOSTS, REMOVE_FAILED_SERVERS) stays off: it would move a failed
    // server's keys to another server, where a copy could outlive an erase made elsewhere.
    set_behavior(memc, MEMCACHED_BEHAVIOR_SERVER_TIMEOUT_LIMIT,
                 std::numeric_limits<std::uint32_t>::max(), "server timeout limit");
    for (const auto& server : servers) {
      memcached_return_t rc = memcached_server_add(memc, server.host.c_str(), server.port);
      if (memcached_failed(rc)) {
        throw std::invalid_argument(fmt::format("memcached: cannot add server {}: {}",
                                                server.address(), memcached_strerror(memc, rc)));
      }
    }
  } catch (...) {
    memcached_free(memc);
    throw;
  }
  return memc;
}

// One multi-get of the keys full[i] for i in `members`, answers written to values[i]. Returns
// the first error, after reading whatever did arrive.
memcached_return_t fetch_into(memcached_st* memc, const std::vector<std::string>& full,
                              const std::vector<std::size_t>& members, Values& values) {
  std::vector<const char*> key_data;
  std::vector<std::size_t> key_lengths;
  std::unordered_multimap<std::string_view, std::size_t> slots;
  key_data.reserve(members.size());
  key_lengths.reserve(members.size());
  slots.reserve(members.size());
  for (auto i : members) {
    key_data.push_back(full[i].data());
    key_lengths.push_back(full[i].size());
    slots.emplace(full[i], i);
  }
  memcached_return_t rc = memcached_mget(memc, key_data.data(), key_lengths.data(), members.size());
  if (rc != MEMCACHED_SUCCESS && rc != MEMCACHED_SOME_ERRORS) return rc;

  memcached_result_st result;
  if (memcached_result_create(memc, &result) == nullptr) return MEMCACHED_MEMORY_ALLOCATION_FAILURE;
  memcached_return_t fetch_rc = MEMCACHED_SUCCESS;
  while (memcached_fetch_result(memc, &result, &fetch_rc) != nullptr) {
    std::string_view key(memcached_result_key_value(&result), memcached_result_key_length(&result));
    std::string_view value(memcached_result_value(&result), memcached_result_length(&result));
    auto [slot, end] = slots.equal_range(key);
    for (; slot != end; ++slot) values[slot->second].emplace(value);
  }
  memcached_result_free(&result);
  if (rc != MEMCACHED_SUCCESS) return rc;
  if (fetch_rc == MEMCACHED_END || fetch_rc == MEMCACHED_NOTFOUND) return MEMCACHED_SUCCESS;
  return fetch_rc;
}

// Deletes one key; any outcome but "gone" counts against the server and marks it dirty. One
// retry on a fresh connection first: a pooled connection may predate a restart of the server.
void delete_key(memcached_st* memc, ServerBreaker& breaker, const std::string& full,
                std::atomic<std::int64_t>& requests) {
  for (int attempt = 0;; ++attempt) {
    requests.fetch_add(1, std::memory_order_relaxed);
    memcached_return_t rc = memcached_delete(memc, full.data(), full.size(), 0);
    if (rc == MEMCACHED_SUCCESS || rc == MEMCACHED_DELETED || rc == MEMCACHED_NOTFOUND) return;
    std::string error = memcached_error_text(memc, rc);
    memcached_quit(memc);
    if (rc == MEMCACHED_TIMEOUT || attempt == 1) {
      breaker.record_failure("delete", error, true);
      return;
    }
  }
}

}  // namespace

MemcachedObjectCache::MemcachedObjectCache(MemcachedOptions options)
    : options_(std::move(options)) {
  auto servers = parse_memcached_url(options_.url);
  memcached_st* master = configured_handle(options_, servers);
  hasher_.reset(memcached_clone(nullptr, master));
  if (!hasher_) {
    memcached_free(master);
    throw std::bad_alloc();
  }
  try {
    // Breakers follow libmemcached's server positions, which memcached_generate_hash returns.
    std::uint32_t count = memcached_server_count(master);
    for (std::uint32_t i = 0; i < count; ++i) {
      const memcached_instance_st* instance = memcached_server_instance_by_position(master, i);
      MemcachedServer server{memcached_server_name(instance), memcached_server_port(instance)};
      breakers_.push_back(std::make_unique<ServerBreaker>(
          server.address(), configured_handle(options_, {server}), options_.retry_after_failure));
    }
  } catch (...) {
    memcached_free(master);
    throw;
  }
  pool_ = std::make_unique<ConnectionPool>(master, options_.pool_size);
}

MemcachedObjectCache::~MemcachedObjectCache() = default;

std::size_t MemcachedObjectCache::server_of(std::string_view full) const {
  if (breakers_.size() == 1) return 0;
  std::uint32_t position = memcached_generate_hash(hasher_.get(), full.data(), full.size());
  return position < breakers_.size() ? position : 0;
}

ServerBreaker& MemcachedObjectCache::breaker_of(std::string_view full) const {
  return *breakers_[server_of(full)];
}

std::time_t MemcachedObjectCache::expiration() const {
  std::int64_t seconds = options_.item_expiry.count();
  if (seconds <= 0) return 0;  // never expires
  if (seconds <= kLongestRelativeExpiry) return static_cast<std::time_t>(seconds);
  return std::time(nullptr) + static_cast<std::time_t>(seconds);
}

Values MemcachedObjectCache::get_many(const std::vector<std::string>& keys) {
  Values values(keys.size());
  if (keys.empty()) return values;

  struct ServerKeys {
    std::vector<std::size_t> members;  // indexes into keys
    std::uint64_t generation = 0;
    bool admitted = false;
  };
  std::vector<ServerKeys> by_server(breakers_.size());
  std::vector<std::string> full(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!key_fits(keys[i])) continue;  // could never have been stored
    full[i] = full_key(keys[i]);
    by_server[server_of(full[i])].members.push_back(i);
  }
  std::vector<std::size_t> requested;
  std::size_t servers_asked = 0;
  for (std::size_t s = 0; s < by_server.size(); ++s) {
    auto& group = by_server[s];
    if (group.members.empty()) continue;
    // The generation is read before admission: any failure from here on drops the answers.
    group.generation = breakers_[s]->generation();
    group.admitted = breakers_[s]->admit();
    if (!group.admitted) continue;
    requested.insert(requested.end(), group.members.begin(), group.members.end());
    ++servers_asked;
  }

  if (!requested.empty()) {
    if (auto lease = pool_->acquire()) {
      memcached_st* memc = lease.get();
      requests_.fetch_add(static_cast<std::int64_t>(servers_asked), std::memory_order_relaxed);
      memcached_return_t rc = fetch_into(memc, full, requested, values);
      if (rc != MEMCACHED_SUCCESS) {
        // Find out which server failed (and get past a connection that only went stale): ask each
        // server on its own. A lone server that timed out is not asked twice.
        std::string error = memcached_error_text(memc, rc);
        memcached_quit(memc);
        for (std::size_t s = 0; s < by_server.size(); ++s) {
          auto& group = by_server[s];
          if (!group.admitted) continue;
          for (auto i : group.members) values[i].reset();
          if (servers_asked == 1 && rc == MEMCACHED_TIMEOUT) {
            breakers_[s]->record_failure("get", error, false);
            continue;
          }
          requests_.fetch_add(1, std::memory_order_relaxed);
          memcached_return_t server_rc = fetch_into(memc, full, group.members, values);
          if (server_rc != MEMCACHED_SUCCESS) {
            breakers_[s]->record_failure("get", memcached_error_text(memc, server_rc), false);
            memcached_quit(memc);
          }
        }
      }
    }
  }

  std::int64_t found = 0;
  for (std::size_t s = 0; s < by_server.size(); ++s) {
    const auto& group = by_server[s];
    if (!group.admitted) continue;
    // A server that failed or lost an erase meanwhile may have answered with an outdated copy.
    bool trusted = breakers_[s]->generation() == group.generation && !breakers_[s]->dirty();
    for (auto i : group.members) {
      if (!trusted) values[i].reset();
      if (values[i]) ++found;
    }
  }
  hits_.fetch_add(found, std::memory_order_relaxed);
  misses_.fetch_add(static_cast<std::int64_t>(keys.size()) - found, std::memory_order_relaxed);
  return values;
}

void MemcachedObjectCache::set(std::string_view key, std::string_view value) {
  store(key, value, memcached_set);
}

void MemcachedObjectCache::add(std::string_view key, std::string_view value) {
  store(key, value, memcached_add);
}

// set and add: `write` is memcached_set or memcached_add.
void MemcachedObjectCache::store(std::string_view key, std::string_view value, StoreCall write) {
  if (!key_fits(key)) return;
  std::string full = full_key(key);
  ServerBreaker& breaker = breaker_of(full);
  if (!breaker.admit()) return;
  auto lease = pool_->acquire();
  if (!lease) return;
  memcached_st* memc = lease.get();
  for (int attempt = 0;; ++attempt) {
    requests_.fetch_add(1, std::memory_order_relaxed);
    memcached_return_t rc =
        write(memc, full.data(), full.size(), value.data(), value.size(), expiration(), 0);
    // An add refused because the key holds a value is the expected outcome (NOTSTORED in the
    // text protocol, DATA_EXISTS in the binary one), not a failure.
    const bool refused_add =
        write == memcached_add && (rc == MEMCACHED_NOTSTORED || rc == MEMCACHED_DATA_EXISTS);
    if (rc == MEMCACHED_SUCCESS || refused_add) return;
    if (rejected_by_server(rc)) {
      delete_key(memc, breaker, full,
                 requests_);  // no older copy may outlive a value that was not cached
      return;
    }
    std::string error = memcached_error_text(memc, rc);
    memcached_quit(memc);
    if (rc == MEMCACHED_TIMEOUT || attempt == 1) {
      breaker.record_failure("set", error, false);
      return;
    }
  }
}

void MemcachedObjectCache::erase(std::string_view key) {
  if (!key_fits(key)) return;
  std::string full = full_key(key);
  ServerBreaker& breaker = breaker_of(full);
  if (!breaker.admit()) {
    breaker.record_lost_erase();
    return;
  }
  auto lease = lease_for_erase();
  if (!lease) {
    breaker.record_lost_erase();
    return;
  }
  delete_key(lease.get(), breaker, full, requests_);
}

ConnectionPool::Lease MemcachedObjectCache::lease_for_erase() {
  for (int attempt = 0; attempt < kEraseAcquireAttempts; ++attempt) {
    if (auto lease = pool_->acquire()) return lease;
  }
  return {};
}

bool MemcachedObjectCache::ping() {
  bool all = true;
  for (auto& breaker : breakers_) all = breaker->ping() && all;
  return all;
}

std::vector<ServerStatus> MemcachedObjectCache::servers() const {
  std::vector<ServerStatus> statuses;
  statuses.reserve(breakers_.size());
  for (const auto& breaker : breakers_) statuses.push_back(breaker->status());
  return statuses;
}

}  // namespace chirp::store::memcached
