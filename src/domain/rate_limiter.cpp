#include "domain/rate_limiter.hpp"

#include <algorithm>
#include <chrono>

#include "common/errors.hpp"
#include "common/time.hpp"

namespace chirp::domain {

void RateLimiter::check(std::string_view scope, std::string_view key,
                        const std::vector<RateRule>& rules) {
  if (!enabled_ || rules.empty()) return;
  Micros now = now_micros();
  std::int64_t now_s = now / 1'000'000;
  int retry_after = 0;
  for (const auto& rule : rules) {
    std::int64_t window_start = now_s - now_s % rule.window_s;
    std::string bucket;
    bucket.reserve(scope.size() + key.size() + 24);
    bucket.append(scope).append(":").append(std::to_string(rule.window_s)).append(":").append(key);
    if (store_.hit(bucket, window_start, rule.window_s) > rule.limit) {
      // Whole seconds until the window ends, rounded up, at least 1: waiting that long is enough.
      Micros window_end = (window_start + rule.window_s) * 1'000'000;
      int wait = static_cast<int>((window_end - now + 999'999) / 1'000'000);
      retry_after = std::max({retry_after, wait, 1});
    }
  }
  if (retry_after > 0) throw RateLimited(retry_after);
}

}  // namespace chirp::domain
