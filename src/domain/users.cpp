#include "domain/users.hpp"

#include "common/errors.hpp"

namespace chirp::domain {

std::optional<UserWithProfile> UserDirectory::find(UserId id) {
  auto user = users_.find_by_id(id);
  if (!user) return std::nullopt;
  auto profile = profiles_.find(id);
  return UserWithProfile{*user, profile.value_or(Profile{id, std::nullopt, std::nullopt})};
}

std::unordered_map<UserId, UserSummary> UserDirectory::summaries(const std::vector<UserId>& ids) {
  std::unordered_map<UserId, UserSummary> out;
  if (ids.empty()) return out;
  for (auto& item : attach_profiles(users_.find_many(ids))) {
    out.emplace(item.user.id, UserSummary{item.user.id, item.user.username, item.profile.nickname,
                                          item.profile.avatar});
  }
  return out;
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
