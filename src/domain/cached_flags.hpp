#pragma once
// Yes/no facts kept in the object cache, one key each ("1" yes, "0" no): has the user liked this
// tweet, does the user follow this author. Pages ask about 20 objects at once, so a page costs one
// cache round trip instead of a query. Readers fill missing flags with ObjectCache::add (kept only
// when the key is empty) and writers, after the store committed, erase the key (a lost erase makes
// the cache flush itself) and set it: a fill that read the store before the write can therefore
// never overwrite the writer's flag, the race a plain set would lose.
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "domain/cache_batch.hpp"
#include "domain/caches.hpp"

namespace chirp::domain {

class CachedFlags {
 public:
  using KeyOf = std::function<std::string(std::int64_t id)>;
  // The ids among `ids` for which the fact holds, read from the store (and cached) when unknown.
  using StoreQuery = std::function<std::vector<std::int64_t>(const std::vector<std::int64_t>& ids)>;

  explicit CachedFlags(ObjectCache& cache) : cache_(cache) {}

  // The ids among `ids` whose flag is yes; asks `query` once, for the ids the cache does not know.
  // Flags already in `fetched` are taken from it; only the others are read from the cache.
  std::vector<std::int64_t> among(const std::vector<std::int64_t>& ids, const KeyOf& key_of,
                                  const StoreQuery& query, const CacheBatch* fetched = nullptr);
  // Held around a store write and its write(): two writers of one key in this process then set the
  // flag in the order they committed (a like racing an unlike of the same pair). Writers in
  // different processes (several servers on the full stack) are not ordered: such a race can leave
  // the flag wrong until the pair's next write.
  std::unique_lock<std::mutex> lock_for(const std::string& key);
  // After the store changed the fact.
  void write(const std::string& key, bool value);

 private:
  static constexpr std::size_t kStripes = 64;
  ObjectCache& cache_;
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace chirp::domain
