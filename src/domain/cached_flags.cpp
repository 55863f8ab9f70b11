#include "domain/cached_flags.hpp"

#include <unordered_set>

namespace chirp::domain {
namespace {

constexpr std::string_view kYes = "1";
constexpr std::string_view kNo = "0";

}  // namespace

std::vector<std::int64_t> CachedFlags::among(const std::vector<std::int64_t>& ids,
                                             const KeyOf& key_of, const StoreQuery& query,
                                             const CacheBatch* fetched) {
  if (ids.empty()) return {};
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const auto id : ids) keys.push_back(key_of(id));
  std::vector<std::optional<std::string>> flags(ids.size());
  std::vector<std::string> unread_keys;
  std::vector<std::size_t> unread_at;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (const auto* value = fetched ? fetched->find(keys[i]) : nullptr) {
      flags[i] = *value;
    } else {
      unread_keys.push_back(keys[i]);
      unread_at.push_back(i);
    }
  }
  if (!unread_keys.empty()) {
    auto values = cache_.get_many(unread_keys);
    for (std::size_t j = 0; j < unread_at.size(); ++j) flags[unread_at[j]] = std::move(values[j]);
  }

  std::vector<std::int64_t> yes, unknown;
  std::vector<std::size_t> unknown_at;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (flags[i] == kYes) {
      yes.push_back(ids[i]);
    } else if (flags[i] != kNo) {
      unknown.push_back(ids[i]);
      unknown_at.push_back(i);
    }
  }
  if (unknown.empty()) return yes;
  const auto found = query(unknown);
  const std::unordered_set<std::int64_t> found_set(found.begin(), found.end());
  for (std::size_t j = 0; j < unknown.size(); ++j) {
    const bool holds = found_set.contains(unknown[j]);
    cache_.add(keys[unknown_at[j]], holds ? kYes : kNo);
    if (holds) yes.push_back(unknown[j]);
  }
  return yes;
}

std::unique_lock<std::mutex> CachedFlags::lock_for(const std::string& key) {
  return std::unique_lock(stripes_[std::hash<std::string>{}(key) % kStripes]);
}

void CachedFlags::write(const std::string& key, bool value) {
  cache_.erase(key);
  cache_.set(key, value ? kYes : kNo);
}

}  // namespace chirp::domain
