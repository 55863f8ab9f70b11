#pragma once
#include <cstdint>
#include <string_view>

namespace chirp::domain {

// Counts hits in fixed windows. In-process for the embedded stack, Redis on the full stack (so all
// server processes share windows).
class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;
  // Adds one hit to `key`'s window that started at `window_start_s` (Unix seconds) and lasts
  // `window_s`; returns the number of hits in that window including this one.
  virtual std::int64_t hit(std::string_view key, std::int64_t window_start_s, int window_s) = 0;
};

}  // namespace chirp::domain
