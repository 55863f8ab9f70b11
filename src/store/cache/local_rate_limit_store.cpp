#include "store/cache/local_rate_limit_store.hpp"

#include <ctime>

namespace chirp::store::cache {

std::int64_t LocalRateLimitStore::hit(std::string_view key, std::int64_t window_start_s,
                                      int window_s) {
  std::lock_guard lock(mutex_);
  // Sweeping once a second keeps memory bounded by the number of clients active in their windows.
  std::int64_t now_s = std::time(nullptr);
  if (now_s != last_sweep_s_) drop_finished_windows(now_s);
  auto [it, inserted] = windows_.try_emplace(std::string(key));
  Window& w = it->second;
  if (inserted || w.start_s != window_start_s) w = Window{window_start_s, window_s, 0};
  return ++w.hits;
}

void LocalRateLimitStore::drop_finished_windows(std::int64_t now_s) {
  last_sweep_s_ = now_s;
  std::erase_if(windows_, [now_s](const auto& kv) {
    return kv.second.start_s + kv.second.length_s <= now_s;
  });
}

}  // namespace chirp::store::cache
