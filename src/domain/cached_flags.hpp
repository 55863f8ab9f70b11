#pragma once
// Yes/no facts kept in the object cache, one key each ("1" yes, "0" no): has the user liked this
// tweet, does the user follow this author. Pages ask about 20 objects at once, so a page costs one
// cache round trip instead of a query. Readers fill missing flags with ObjectCache::add (kept only
// when the key is empty) and writers, after the store committed, erase the key (a lost erase makes
// the cache flush itself) and set it: a fill that read the store before the write can therefore
// never overwrite the writer's flag, the race a plain set would lose.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "domain/caches.hpp"

namespace chirp::domain {

class CachedFlags {
 public:
  using KeyOf = std::function<std::string(std::int64_t id)>;
  // The ids among `ids` for which the fact holds, read from the store (and cached) when unknown.
  using StoreQuery = std::function<std::vector<std::int64_t>(const std::vector<std::int64_t>& ids)>;

  explicit CachedFlags(ObjectCache& cache) : cache_(cache) {}

  // The ids among `ids` whose flag is yes; asks `query` once, for the ids the cache does not know.
  std::vector<std::int64_t> among(const std::vector<std::int64_t>& ids, const KeyOf& key_of,
                                  const StoreQuery& query);
  // After the store changed the fact.
  void write(const std::string& key, bool value);

 private:
  ObjectCache& cache_;
};

}  // namespace chirp::domain
