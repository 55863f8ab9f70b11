#pragma once
// In-process fixed-window counters for the embedded stack (one server process).
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/rate_limit_store.hpp"

namespace chirp::store::cache {

class LocalRateLimitStore final : public domain::RateLimitStore {
 public:
  std::int64_t hit(std::string_view key, std::int64_t window_start_s, int window_s) override;

 private:
  struct Window {
    std::int64_t start_s = 0;
    int length_s = 0;
    std::int64_t hits = 0;
  };
  void drop_finished_windows(std::int64_t now_s);

  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  std::int64_t last_sweep_s_ = 0;
};

}  // namespace chirp::store::cache
