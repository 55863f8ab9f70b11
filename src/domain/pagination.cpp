#include "domain/pagination.hpp"

#include <algorithm>
#include <unordered_set>

namespace chirp::domain {

std::vector<TimelineItem> merge_newest_first(const std::vector<std::vector<TimelineItem>>& lists,
                                             std::size_t limit) {
  std::vector<TimelineItem> all;
  for (const auto& list : lists) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end(), [](const TimelineItem& a, const TimelineItem& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  std::vector<TimelineItem> out;
  std::unordered_set<std::int64_t> seen;
  for (const auto& item : all) {
    if (out.size() == limit) break;
    if (seen.insert(item.id).second) out.push_back(item);
  }
  return out;
}

}  // namespace chirp::domain
