#pragma once
// Reads a range of a per-user list through the TimelineCache (DESIGN §5.2): a cached list answers
// directly; a miss loads the newest `capacity` items from the store once and caches them (an empty
// list too); only a page running past the end of a long list's cached part goes to the store.
#include <functional>
#include <string>
#include <vector>

#include "domain/caches.hpp"
#include "domain/timeline.hpp"

namespace chirp::domain {

using TimelineLoader = std::function<std::vector<TimelineItem>(const TimeRange&)>;

class TimelineReader {
 public:
  explicit TimelineReader(TimelineCache& cache) : cache_(cache) {}
  std::vector<TimelineItem> read(const std::string& key, const TimeRange& range,
                                 const TimelineLoader& load_from_store);

 private:
  TimelineCache& cache_;
};

inline std::string user_tweets_key(std::int64_t user) { return "tweets:" + std::to_string(user); }
inline std::string feed_key(std::int64_t user) { return "feed:" + std::to_string(user); }

}  // namespace chirp::domain
