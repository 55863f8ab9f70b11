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
  // A list and where its items come from when the cache cannot answer.
  struct List {
    std::string key;
    TimelineLoader load_from_store;
  };

  explicit TimelineReader(TimelineCache& cache) : cache_(cache) {}
  std::vector<TimelineItem> read(const std::string& key, const TimeRange& range,
                                 const TimelineLoader& load_from_store);
  // The same range of several lists (a feed and the lists merged into it), asking the cache for
  // all of them at once; result[i] answers lists[i].
  std::vector<std::vector<TimelineItem>> read_many(const std::vector<List>& lists,
                                                   const TimeRange& range);

 private:
  // The answer for one list, given what the cache answered for it.
  std::vector<TimelineItem> answer(const std::string& key, const TimeRange& range,
                                   std::optional<CachedRange> cached,
                                   const TimelineLoader& load_from_store);

  TimelineCache& cache_;
};

inline std::string user_tweets_key(std::int64_t user) {
  return "tweets:" + std::to_string(user);
}
inline std::string feed_key(std::int64_t user) {
  return "feed:" + std::to_string(user);
}

}  // namespace chirp::domain
