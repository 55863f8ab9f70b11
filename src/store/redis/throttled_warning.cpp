#include "store/redis/throttled_warning.hpp"

#include <spdlog/spdlog.h>

namespace chirp::store::redis {

bool ThrottledWarning::warn(std::string_view message) {
  std::int64_t left_out = 0;
  {
    std::lock_guard lock(mutex_);
    auto now = Clock::now();
    if (now < next_) {
      ++suppressed_;
      return false;
    }
    next_ = now + interval_;
    left_out = suppressed_;
    suppressed_ = 0;
  }
  if (left_out > 0) {
    spdlog::warn("{} ({} similar warnings left out)", message, left_out);
  } else {
    spdlog::warn("{}", message);
  }
  return true;
}

}  // namespace chirp::store::redis
