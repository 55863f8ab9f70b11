#pragma once
// One object-cache multi-get shared by the readers of one answer: a page needs its tweets, their
// authors and the caller's has_liked flags, and on the full stack each separate get_many is a
// Memcached round trip. Each reader names the keys it will need, fetch() reads them all at once,
// and each reader then takes its answers; a key nobody named is read by its reader as before.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/caches.hpp"

namespace chirp::domain {

class CacheBatch {
 public:
  // Asks for `key` in the next fetch (a key asked for twice is read once).
  void want(std::string key);
  // One get_many for every key wanted since the last fetch.
  void fetch(ObjectCache& cache);
  // The fetched answer for `key`: nullptr when it was not fetched (the reader must ask the cache),
  // else the value or nullopt for a miss. Valid until the next fetch().
  const std::optional<std::string>* find(std::string_view key) const;

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::vector<std::string> keys_;                   // in the order wanted
  std::vector<std::optional<std::string>> values_;  // answers for keys_[0, values_.size())
  std::unordered_map<std::string, std::size_t, KeyHash, std::equal_to<>> index_;  // into keys_
};

}  // namespace chirp::domain
