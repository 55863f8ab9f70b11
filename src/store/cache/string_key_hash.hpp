#pragma once
// Shared by the in-process caches: a transparent hash so maps keyed by std::string can be probed
// with a std::string_view without building a temporary string on every lookup.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace chirp::store::cache {

struct StringKeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const noexcept {
    return std::hash<std::string_view>{}(key);
  }
};

// Both caches split their keys over this many independently locked shards, so handler threads
// touching different keys rarely wait for each other.
inline constexpr std::size_t kCacheShards = 16;

inline std::size_t shard_of(std::string_view key) {
  // The low bits also pick the bucket inside the shard's map; mixing in the high bits keeps the
  // two choices independent.
  std::size_t h = StringKeyHash{}(key);
  return (h ^ (h >> 29)) % kCacheShards;
}

}  // namespace chirp::store::cache
