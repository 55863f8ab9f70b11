#pragma once
// A warning that is logged at most once per interval, so an outage of a cache server logs a few
// lines instead of one per request.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace chirp::store::redis {

class ThrottledWarning {
 public:
  explicit ThrottledWarning(std::chrono::milliseconds interval = std::chrono::seconds(10))
      : interval_(interval) {}
  // Logs `message` unless a line was logged less than `interval` ago; the next line logged says how
  // many were left out meanwhile. Returns whether it logged.
  bool warn(std::string_view message);

 private:
  using Clock = std::chrono::steady_clock;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  Clock::time_point next_{};
  std::int64_t suppressed_ = 0;
};

}  // namespace chirp::store::redis
