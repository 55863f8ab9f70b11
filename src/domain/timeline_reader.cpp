#include "domain/timeline_reader.hpp"

namespace chirp::domain {
namespace {

std::vector<TimelineItem> select(const std::vector<TimelineItem>& newest_first,
                                 const TimeRange& range) {
  std::vector<TimelineItem> out;
  for (const auto& item : newest_first) {
    if (out.size() == range.limit) break;
    if (in_range(item, range)) out.push_back(item);
  }
  return out;
}

}  // namespace

std::vector<TimelineItem> TimelineReader::read(const std::string& key, const TimeRange& range,
                                               const TimelineLoader& load_from_store) {
  return answer(key, range, cache_.range(key, range), load_from_store);
}

std::vector<std::vector<TimelineItem>> TimelineReader::read_many(const std::vector<List>& lists,
                                                                 const TimeRange& range) {
  std::vector<std::vector<TimelineItem>> out;
  out.reserve(lists.size());
  if (lists.size() == 1) {
    out.push_back(read(lists.front().key, range, lists.front().load_from_store));
    return out;
  }
  std::vector<std::string> keys;
  keys.reserve(lists.size());
  for (const auto& list : lists) keys.push_back(list.key);
  auto cached = cache_.range_many(keys, range);
  for (std::size_t i = 0; i < lists.size(); ++i) {
    out.push_back(answer(lists[i].key, range,
                         i < cached.size() ? std::move(cached[i]) : std::nullopt,
                         lists[i].load_from_store));
  }
  return out;
}

std::vector<TimelineItem> TimelineReader::answer(const std::string& key, const TimeRange& range,
                                                 std::optional<CachedRange> cached,
                                                 const TimelineLoader& load_from_store) {
  if (cached) {
    if (!cached->truncated) return std::move(cached->items);
    return load_from_store(range);
  }
  auto ticket = cache_.fill_ticket(key);
  std::size_t capacity = cache_.capacity();
  auto newest = load_from_store(TimeRange{std::nullopt, std::nullopt, capacity + 1});
  bool complete = newest.size() <= capacity;
  if (!complete) newest.resize(capacity);
  cache_.fill(key, newest, complete, ticket);

  auto answer = select(newest, range);
  // Items older than the cached part may still belong to the range unless the list is complete,
  // the page is already full, or the range's lower bound (created_at__gt) lies inside the cache.
  bool exact = complete || answer.size() == range.limit ||
               (range.after && newest.back().created_at <= *range.after);
  if (!exact) return load_from_store(range);
  return answer;
}

}  // namespace chirp::domain
