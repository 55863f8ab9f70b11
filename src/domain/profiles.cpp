#include "domain/profiles.hpp"

#include <algorithm>

#include "common/errors.hpp"
#include "common/image_type.hpp"
#include "common/text.hpp"
#include "domain/account_rules.hpp"

namespace chirp::domain {

ProfileView ProfileService::get(UserId id, std::optional<UserId> caller) {
  auto found = directory_.find(id);
  if (!found) throw NotFound();
  auto stats = stats_.get(id);
  // Follow counts kept beside the wide-column store may dip below zero for a moment (an unfollow's
  // -1 landing before its follow's +1); never show that.
  ProfileView view{found->user,
                   found->profile,
                   std::max<std::int64_t>(stats.followers_count, 0),
                   std::max<std::int64_t>(stats.followings_count, 0),
                   stats.tweets_count,
                   false};
  if (caller && *caller != id) view.has_followed = friendships_.exists(*caller, id);
  return view;
}

Profile ProfileService::update(UserId id, UserId caller, const ProfileChanges& changes) {
  auto found = directory_.find(id);
  if (!found) throw NotFound();
  if (caller != id) throw PermissionDenied::not_owner();

  FieldErrors errors;
  if (changes.nickname && code_point_length(*changes.nickname) > kMaxNicknameLength) {
    errors.push_back({"nickname", {max_length_message(kMaxNicknameLength)}});
  }
  std::optional<ImageType> avatar_type;
  if (changes.avatar_data) {
    if (changes.avatar_data->size() > kMaxAvatarBytes) {
      errors.push_back({"avatar", {"Ensure this file is at most 5 MiB."}});
    } else if (!(avatar_type = sniff_image(*changes.avatar_data))) {
      errors.push_back({"avatar", {"Upload a valid image."}});
    }
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));

  Profile profile = found->profile;
  std::optional<std::string> old_avatar;
  if (changes.nickname) profile.nickname = changes.nickname;
  if (avatar_type) {
    old_avatar = profile.avatar;
    profile.avatar = media_.save("avatars", extension_of(*avatar_type), *changes.avatar_data);
  }
  try {
    profiles_.update(profile);
  } catch (...) {
    if (avatar_type) media_.remove(*profile.avatar);
    throw;
  }
  directory_.forget(id);
  if (old_avatar) media_.remove(*old_avatar);
  return profile;
}

}  // namespace chirp::domain
