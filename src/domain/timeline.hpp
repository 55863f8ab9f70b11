#pragma once
// Ordered lists by time (tweets of a user, a news feed, followers, followings) and the range a page
// asks of them (SPEC §1.6).
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/time.hpp"

namespace chirp::domain {

// One entry of an ordered list: `id` is the tweet id (tweets, feeds) or the other user's id
// (followers, followings); `created_at` orders the list and is unique within it.
struct TimelineItem {
  std::int64_t id = 0;
  Micros created_at = 0;
  friend bool operator==(const TimelineItem&, const TimelineItem&) = default;
};

// Newest first. With `after`, the items strictly newer than it (the newest `limit` of them); else
// with `before`, the items strictly older; else the newest. Ties on created_at are ordered by id
// descending, so a list never skips or repeats an item.
struct TimeRange {
  std::optional<Micros> before;
  std::optional<Micros> after;
  std::size_t limit = 20;
};

// True when `item` lies in `range` (ignoring the limit).
inline bool in_range(const TimelineItem& item, const TimeRange& range) {
  if (range.after) return item.created_at > *range.after;
  if (range.before) return item.created_at < *range.before;
  return true;
}

}  // namespace chirp::domain
