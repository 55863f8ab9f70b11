#include "domain/users.hpp"

#include "common/errors.hpp"
#include "domain/record_codec.hpp"

namespace chirp::domain {

std::optional<UserWithProfile> UserDirectory::find(UserId id) {
  auto user = users_.find_by_id(id);
  if (!user) return std::nullopt;
  auto profile = profiles_.find(id);
  return UserWithProfile{*user, profile.value_or(Profile{id, std::nullopt, std::nullopt})};
}

std::unordered_map<UserId, UserSummary> UserDirectory::summaries(const std::vector<UserId>& ids,
                                                                 const CacheBatch* fetched) {
  std::unordered_map<UserId, UserSummary> out;
  if (ids.empty()) return out;
  std::vector<UserId> unread, misses;
  std::vector<std::string> unread_keys;
  auto take = [&](UserId id, const std::optional<std::string>& value) {
    auto user = value ? decode_user_summary(*value) : std::nullopt;
    if (user && user->id == id)
      out.emplace(id, std::move(*user));
    else
      misses.push_back(id);
  };
  for (auto id : ids) {
    std::string key = user_cache_key(id);
    if (const auto* value = fetched ? fetched->find(key) : nullptr) {
      take(id, *value);
    } else {
      unread.push_back(id);
      unread_keys.push_back(std::move(key));
    }
  }
  if (!unread.empty()) {
    auto cached = cache_.get_many(unread_keys);
    for (std::size_t i = 0; i < unread.size(); ++i) take(unread[i], cached[i]);
  }
  if (misses.empty()) return out;
  for (auto& item : attach_profiles(users_.find_many(misses))) {
    UserSummary user{item.user.id, item.user.username, item.profile.nickname, item.profile.avatar};
    cache_.set(user_cache_key(user.id), encode_user_summary(user));
    out.emplace(user.id, std::move(user));
  }
  return out;
}

void UserDirectory::forget(UserId id) {
  cache_.erase(user_cache_key(id));
}

UserPage UserDirectory::list(std::int64_t page, std::int64_t page_size) {
  UserPage result;
  result.count = users_.count();
  std::int64_t offset = (page - 1) * page_size;
  if (page > 1 && offset >= result.count) throw NotFound("Invalid page.");
  result.items = attach_profiles(users_.list_newest(offset, page_size));
  return result;
}

std::vector<UserWithProfile> UserDirectory::attach_profiles(std::vector<User> users) {
  std::vector<UserId> ids;
  ids.reserve(users.size());
  for (const auto& u : users) ids.push_back(u.id);
  std::unordered_map<UserId, Profile> by_id;
  for (auto& p : profiles_.find_many(ids)) by_id.emplace(p.user_id, std::move(p));
  std::vector<UserWithProfile> out;
  out.reserve(users.size());
  for (auto& u : users) {
    auto it = by_id.find(u.id);
    Profile profile = it != by_id.end() ? it->second : Profile{u.id, std::nullopt, std::nullopt};
    out.push_back({std::move(u), std::move(profile)});
  }
  return out;
}

}  // namespace chirp::domain
