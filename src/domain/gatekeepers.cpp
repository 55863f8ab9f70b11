#include "domain/gatekeepers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/text.hpp"

namespace chirp::domain {
namespace {

constexpr std::array<std::string_view, 6> kServerSwitches = {
    switches::kFriendshipDualWrite, switches::kFriendshipReadKv, switches::kFriendshipKvOnly,
    switches::kNewsfeedDualWrite,   switches::kNewsfeedReadKv,   switches::kNewsfeedKvOnly};

// A store outage logs one line per interval, not one per name and expiry.
constexpr std::chrono::seconds kWarningInterval{10};

Gatekeeper default_for(std::string_view name) { return Gatekeeper{std::string(name), 0, {}, {}}; }

void normalize(std::vector<UserId>& whitelist) {
  std::sort(whitelist.begin(), whitelist.end());
  whitelist.erase(std::unique(whitelist.begin(), whitelist.end()), whitelist.end());
}

}  // namespace

bool is_in(const Gatekeeper& gatekeeper, UserId user) {
  if (std::binary_search(gatekeeper.whitelist.begin(), gatekeeper.whitelist.end(), user)) {
    return true;
  }
  // Ids are positive; the modulo is still a bucket in 0..99 for anything else.
  return (user % 100 + 100) % 100 < gatekeeper.percent;
}

bool is_on(const Gatekeeper& gatekeeper) { return gatekeeper.percent >= 100; }

std::span<const std::string_view> server_switches() { return kServerSwitches; }

std::optional<std::string> gatekeeper_name_error(std::string_view name) {
  if (name.empty()) return "This field may not be blank.";
  if (name.size() > kGatekeeperNameMax) {
    return "Ensure this field has no more than " + std::to_string(kGatekeeperNameMax) +
           " characters.";
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "Use only lowercase letters, digits and underscores.";
  }
  return std::nullopt;
}

std::optional<std::vector<UserId>> parse_whitelist(std::string_view text) {
  std::vector<UserId> ids;
  if (trim(text).empty()) return ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    auto id = parse_int64(trim(text.substr(start, comma - start)));
    if (!id) return std::nullopt;
    ids.push_back(*id);
    start = comma + 1;
  }
  return ids;
}

std::string format_whitelist(const std::vector<UserId>& whitelist) {
  std::string out;
  for (UserId id : whitelist) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

GatekeeperService::GatekeeperService(GatekeeperStore& store, Settings settings)
    : store_(store), settings_(std::move(settings)) {}

Gatekeeper GatekeeperService::cached(std::string_view name) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto& slot = entries_[std::string(name)];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
    if (entry->loaded && settings_.clock() < entry->expires) return entry->value;
  }
  // One thread per name reads the store; the others keep using the last value meanwhile, so a
  // slow store delays one request, not all of them. Only the very first read is waited for.
  std::unique_lock refresh(entry->refresh, std::try_to_lock);
  if (!refresh.owns_lock()) {
    {
      std::lock_guard lock(mutex_);
      if (entry->loaded) return entry->value;
    }
    refresh.lock();
  }
  {
    std::lock_guard lock(mutex_);
    if (entry->loaded && settings_.clock() < entry->expires) return entry->value;
  }
  std::optional<Gatekeeper> read;
  try {
    read = store_.get(name).value_or(default_for(name));
  } catch (const std::exception& e) {
    warn_unavailable(name, e);
  }
  std::lock_guard lock(mutex_);
  // On a failure the last value stays (or "off" when there is none) and the store is tried again
  // after another expiry, not on every request.
  if (read) {
    normalize(read->whitelist);
    entry->value = std::move(*read);
  } else if (!entry->loaded) {
    entry->value = default_for(name);
  }
  entry->loaded = true;
  entry->expires = settings_.clock() + settings_.expiry;
  return entry->value;
}

Gatekeeper GatekeeperService::get(std::string_view name) {
  Gatekeeper value = store_.get(name).value_or(default_for(name));
  normalize(value.whitelist);
  std::lock_guard lock(mutex_);
  // Only names already in use: admin reads of arbitrary names must not grow the cache.
  if (entries_.contains(std::string(name))) {
    auto entry = std::make_shared<Entry>();
    entry->loaded = true;
    entry->value = value;
    entry->expires = settings_.clock() + settings_.expiry;
    entries_[std::string(name)] = std::move(entry);
  }
  return value;
}

std::vector<Gatekeeper> GatekeeperService::list() {
  std::vector<Gatekeeper> all = store_.list();
  for (std::string_view name : server_switches()) {
    bool stored = std::any_of(all.begin(), all.end(),
                              [&](const Gatekeeper& g) { return g.name == name; });
    if (!stored) all.push_back(default_for(name));
  }
  for (auto& g : all) normalize(g.whitelist);
  std::sort(all.begin(), all.end(),
            [](const Gatekeeper& a, const Gatekeeper& b) { return a.name < b.name; });
  return all;
}

Gatekeeper GatekeeperService::set(std::string_view name, const GatekeeperChange& change) {
  FieldErrors errors;
  auto fail = [&errors](const char* field, std::string message) {
    errors.push_back({field, {std::move(message)}});
  };
  if (auto error = gatekeeper_name_error(name)) fail("name", *error);
  if (change.percent && *change.percent < 0) {
    fail("percent", "Ensure this value is greater than or equal to 0.");
  } else if (change.percent && *change.percent > 100) {
    fail("percent", "Ensure this value is less than or equal to 100.");
  }
  if (change.whitelist) {
    if (change.whitelist->size() > kGatekeeperWhitelistMax) {
      fail("whitelist", "Ensure this field has no more than " +
                            std::to_string(kGatekeeperWhitelistMax) + " elements.");
    } else if (std::any_of(change.whitelist->begin(), change.whitelist->end(),
                           [](UserId id) { return id < 1; })) {
      fail("whitelist", "Ensure every user id is greater than or equal to 1.");
    }
  }
  std::optional<std::string> description;
  if (change.description) {
    description = trim(*change.description);
    if (!is_valid_utf8(*description)) {
      fail("description", "Not a valid string.");
    } else if (code_point_length(*description) > kGatekeeperDescriptionMax) {
      fail("description", "Ensure this field has no more than " +
                              std::to_string(kGatekeeperDescriptionMax) + " characters.");
    }
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));

  // Merged with the stored value (not the cached one), so a field another process changed a
  // moment ago is kept.
  Gatekeeper value = store_.get(name).value_or(default_for(name));
  value.name = std::string(name);
  if (change.percent) value.percent = *change.percent;
  if (change.whitelist) value.whitelist = *change.whitelist;
  if (description) value.description = std::move(*description);
  normalize(value.whitelist);
  store_.save(value);
  remember(value);
  return value;
}

std::shared_ptr<GatekeeperService::Entry> GatekeeperService::remember(const Gatekeeper& value) {
  auto entry = std::make_shared<Entry>();
  entry->loaded = true;
  entry->value = value;
  std::lock_guard lock(mutex_);
  entry->expires = settings_.clock() + settings_.expiry;
  // A new entry, not an update: a read of the old value still in flight lands in the old entry.
  entries_[value.name] = entry;
  return entry;
}

void GatekeeperService::warn_unavailable(std::string_view name, const std::exception& error) {
  auto now = settings_.clock();
  {
    std::lock_guard lock(mutex_);
    if (now < next_warning_) return;
    next_warning_ = now + kWarningInterval;
  }
  spdlog::warn("gatekeepers: reading \"{}\" failed ({}); using the last known value", name,
               error.what());
}

}  // namespace chirp::domain
