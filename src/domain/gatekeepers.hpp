#pragma once
// Gatekeepers (SPEC §11): named switches for gray release, whitelisting and rollback, changeable at
// run time. Every process reads them through a short-lived in-process cache, so a change reaches
// all processes within seconds while a busy server reads the store about once per switch per
// expiry, not once per request. A store outage never fails a request that only asks "is this user
// in?": the last value seen (or "off") is used and a warning logged.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/entities.hpp"
#include "domain/switches.hpp"

namespace chirp::domain {

struct Gatekeeper {
  std::string name;
  int percent = 0;                // 0..100
  std::vector<UserId> whitelist;  // ascending, no repeats
  std::string description;

  bool operator==(const Gatekeeper&) const = default;
};

// Where gatekeepers live (SQL on the embedded stack, Redis in front of SQL on the full stack).
// Connection failures throw chirp::Unavailable.
class GatekeeperStore {
 public:
  virtual ~GatekeeperStore() = default;
  virtual std::optional<Gatekeeper> get(std::string_view name) = 0;
  virtual std::vector<Gatekeeper> list() = 0;           // every stored gatekeeper, any order
  virtual void save(const Gatekeeper& gatekeeper) = 0;  // insert or replace by name
};

// A user is in when whitelisted or in one of the first `percent` of 100 stable buckets
// (user_id % 100), so raising the percent keeps everyone already in.
bool is_in(const Gatekeeper& gatekeeper, UserId user);
// A switch is on at 100 percent.
bool is_on(const Gatekeeper& gatekeeper);

// The switches the server itself reads (domain/switches.hpp names them); always listed, even
// before anyone set them.
std::span<const std::string_view> server_switches();

// Limits of a gatekeeper's fields.
inline constexpr std::size_t kGatekeeperNameMax = 64;
inline constexpr std::size_t kGatekeeperDescriptionMax = 1000;  // code points
inline constexpr std::size_t kGatekeeperWhitelistMax = 1000;    // ids

// Names are 1-64 characters of [a-z0-9_] (safe in URLs, Redis keys and shell commands). Returns
// the message for a bad name, nullopt for a good one.
std::optional<std::string> gatekeeper_name_error(std::string_view name);

// A partial update: absent fields keep their current value.
struct GatekeeperChange {
  std::optional<int> percent;
  std::optional<std::vector<UserId>> whitelist;
  std::optional<std::string> description;
};

// "1,2, 3" → {1, 2, 3}; "" → {}. nullopt when an entry is not a decimal integer.
std::optional<std::vector<UserId>> parse_whitelist(std::string_view text);
std::string format_whitelist(const std::vector<UserId>& whitelist);  // "1,2,3"

class GatekeeperService final : public Switches {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  struct Settings {
    // How long a value read from the store is used. SPEC §11: every process sees a change within
    // 5 s; 2 s leaves room for a slow store read.
    std::chrono::milliseconds expiry{2000};
    Clock clock = [] { return std::chrono::steady_clock::now(); };
  };

  explicit GatekeeperService(GatekeeperStore& store) : GatekeeperService(store, Settings{}) {}
  GatekeeperService(GatekeeperStore& store, Settings settings);

  // Request-path reads through the cache. Never throw for a store failure.
  bool is_in(std::string_view name, UserId user) override {
    return domain::is_in(cached(name), user);
  }
  bool is_on(std::string_view name) override { return domain::is_on(cached(name)); }
  // The cached value: at most `expiry` old while the store answers; the last value read (or the
  // default: percent 0, empty whitelist and description) while it does not.
  Gatekeeper cached(std::string_view name);

  // Admin reads, straight from the store (chirp::Unavailable when it is down); they refresh the
  // cache too. An unknown name gives the default. get() does not check the name rule.
  Gatekeeper get(std::string_view name);
  // Sorted by name, including every server switch.
  std::vector<Gatekeeper> list();

  // Validates (ValidationError on name, percent, whitelist, description), merges with the stored
  // value, saves, and puts the result in this process's cache so it applies here at once.
  Gatekeeper set(std::string_view name, const GatekeeperChange& change);

 private:
  struct Entry {
    std::mutex refresh;  // held by the one thread reading the store for this name
    // Guarded by GatekeeperService::mutex_:
    bool loaded = false;
    Gatekeeper value;
    std::chrono::steady_clock::time_point expires{};
  };

  std::shared_ptr<Entry> remember(const Gatekeeper& value);
  void warn_unavailable(std::string_view name, const std::exception& error);

  GatekeeperStore& store_;
  Settings settings_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;
  std::chrono::steady_clock::time_point next_warning_{};
};

}  // namespace chirp::domain
