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
  if (auto cached = cache_.range(key, range)) {
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
