#pragma once
// Profiles (SPEC §4): read with counters, update nickname and avatar by the owner.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "domain/media_store.hpp"
#include "domain/repositories.hpp"
#include "domain/social_repositories.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

struct ProfileView {
  User user;
  Profile profile;
  std::int64_t followers_count = 0;
  std::int64_t followings_count = 0;
  std::int64_t tweets_count = 0;
  bool has_followed = false;  // the caller follows this user
};

struct ProfileChanges {
  std::optional<std::string> nickname;     // trimmed already; "" clears it to an empty nickname
  std::optional<std::string> avatar_data;  // raw bytes of the uploaded file
};

inline constexpr std::size_t kMaxAvatarBytes = 5 * 1024 * 1024;
inline constexpr std::size_t kMaxNicknameLength = 200;

class ProfileService {
 public:
  ProfileService(UserDirectory& directory, ProfileRepository& profiles, MediaStore& media,
                 UserStatsRepository& stats, FriendshipRepository& friendships)
      : directory_(directory),
        profiles_(profiles),
        media_(media),
        stats_(stats),
        friendships_(friendships) {}

  // Throws NotFound.
  ProfileView get(UserId id, std::optional<UserId> caller);
  // Throws NotFound, PermissionDenied::not_owner, ValidationError (nickname, avatar).
  Profile update(UserId id, UserId caller, const ProfileChanges& changes);

 private:
  UserDirectory& directory_;
  ProfileRepository& profiles_;
  MediaStore& media_;
  UserStatsRepository& stats_;
  FriendshipRepository& friendships_;
};

}  // namespace chirp::domain
