#pragma once
// Reading users as they appear in other objects (the "user" representation of SPEC §1.8) and the
// admin's user list (SPEC §4). Lookups of many users are batched: one query for users, one for
// profiles, whatever the page size.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/cache_batch.hpp"
#include "domain/caches.hpp"
#include "domain/entities.hpp"
#include "domain/repositories.hpp"

namespace chirp::domain {

struct UserSummary {
  UserId id = 0;
  std::string username;
  std::optional<std::string> nickname;
  std::optional<std::string> avatar;  // media path
};

struct UserWithProfile {
  User user;
  Profile profile;
};

struct UserPage {
  std::int64_t count = 0;
  std::vector<UserWithProfile> items;
};

class UserDirectory {
 public:
  UserDirectory(UserRepository& users, ProfileRepository& profiles, ObjectCache& cache)
      : users_(users), profiles_(profiles), cache_(cache) {}

  std::optional<UserWithProfile> find(UserId id);
  // Through the object cache: one multi-get, then one batched store read for the misses. Missing
  // ids are simply absent from the result. Keys already in `fetched` (user_cache_key) are taken
  // from it; only the others are read from the cache.
  std::unordered_map<UserId, UserSummary> summaries(const std::vector<UserId>& ids,
                                                    const CacheBatch* fetched = nullptr);
  // Drops the cached summary after a profile change, so the change shows everywhere at once.
  void forget(UserId id);
  // Page-number pagination, newest first; `page` starts at 1. Throws NotFound("Invalid page.") for
  // a page past the end (page 1 of an empty list is an empty page).
  UserPage list(std::int64_t page, std::int64_t page_size);

 private:
  std::vector<UserWithProfile> attach_profiles(std::vector<User> users);

  UserRepository& users_;
  ProfileRepository& profiles_;
  ObjectCache& cache_;
};

}  // namespace chirp::domain
