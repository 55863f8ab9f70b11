#pragma once
// What code routed by gatekeepers needs of them (domain/gatekeepers implements it; tests fake it).
#include <string_view>

#include "domain/entities.hpp"

namespace chirp::domain {

class Switches {
 public:
  virtual ~Switches() = default;
  // The switch is on: percent 100.
  virtual bool is_on(std::string_view name) = 0;
  // `user` is in the gatekeeper: whitelisted, or user % 100 < percent.
  virtual bool is_in(std::string_view name, UserId user) = 0;
};

// The switches the server itself reads (DESIGN §6): moving friendships and news feeds to the
// wide-column store (domain/storage_migration.hpp).
namespace switches {
inline constexpr std::string_view kFriendshipDualWrite = "friendship_dual_write";
inline constexpr std::string_view kFriendshipReadKv = "friendship_read_kv";
inline constexpr std::string_view kFriendshipKvOnly = "friendship_kv_only";
inline constexpr std::string_view kNewsfeedDualWrite = "newsfeed_dual_write";
inline constexpr std::string_view kNewsfeedReadKv = "newsfeed_read_kv";
inline constexpr std::string_view kNewsfeedKvOnly = "newsfeed_kv_only";
}  // namespace switches

}  // namespace chirp::domain
