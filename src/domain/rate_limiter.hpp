#pragma once
// Fixed-window rate limits (SPEC §1.9). The caller chooses the bucket key (user id or client IP);
// the windows live in a RateLimitStore so several server processes can share them.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "domain/rate_limit_store.hpp"

namespace chirp::domain {

struct RateRule {
  int limit = 0;     // hits allowed per window
  int window_s = 1;  // window length in seconds
};

class RateLimiter {
 public:
  RateLimiter(RateLimitStore& store, bool enabled) : store_(store), enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  // Counts one hit of `key` in `scope` against every rule; throws RateLimited (with the seconds
  // until the exceeded window ends) when any rule is over its limit.
  void check(std::string_view scope, std::string_view key, const std::vector<RateRule>& rules);

 private:
  RateLimitStore& store_;
  bool enabled_;
};

}  // namespace chirp::domain
