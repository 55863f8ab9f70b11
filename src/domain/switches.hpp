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

}  // namespace chirp::domain
