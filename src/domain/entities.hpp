#pragma once
// Plain values of the domain. Stores fill them; api/ serializes them.
#include <cstdint>
#include <optional>
#include <string>

#include "common/time.hpp"

namespace chirp::domain {

using UserId = std::int64_t;

struct User {
  UserId id = 0;
  std::string username;  // lowercase
  std::string email;     // lowercase
  std::string password_hash;
  bool is_staff = false;
  Micros date_joined = 0;
};

struct Profile {
  UserId user_id = 0;  // the profile id equals the user id
  std::optional<std::string> nickname;
  std::optional<std::string> avatar;  // media path relative to the media store, e.g. "avatars/3f/ab12.png"
};

}  // namespace chirp::domain
