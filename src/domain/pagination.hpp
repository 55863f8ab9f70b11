#pragma once
// Endless pagination (SPEC §1.6): read one item more than the page to know has_next_page exactly.
#include <cstddef>
#include <vector>

#include "domain/timeline.hpp"

namespace chirp::domain {

inline constexpr std::size_t kDefaultPageSize = 20;
inline constexpr std::size_t kMaxPageSize = 100;
// created_at__gt answers at most this many newer items (SPEC §1.6 fix: unbounded in the original).
inline constexpr std::size_t kMaxNewerItems = 1000;

struct PageRequest {
  std::optional<Micros> before;  // created_at__lt
  std::optional<Micros> after;   // created_at__gt; wins over before
  std::size_t page_size = kDefaultPageSize;

  // The store range to read: one item more than the page answers.
  TimeRange lookahead_range() const {
    std::size_t n = after ? kMaxNewerItems : page_size;
    return TimeRange{after ? std::nullopt : before, after, n + 1};
  }
  std::size_t answer_size() const { return after ? kMaxNewerItems : page_size; }
};

template <class T>
struct Page {
  std::vector<T> items;
  bool has_next_page = false;
};

// Cuts a lookahead read (newest first) down to the page and sets has_next_page.
inline Page<TimelineItem> cut_page(std::vector<TimelineItem> items, const PageRequest& request) {
  Page<TimelineItem> page;
  page.has_next_page = items.size() > request.answer_size();
  if (page.has_next_page) items.resize(request.answer_size());
  page.items = std::move(items);
  return page;
}

// Merges lists that are each newest first into one newest-first list without duplicate ids,
// keeping at most `limit` items (feeds merge pushed entries with pulled celebrity tweets).
std::vector<TimelineItem> merge_newest_first(const std::vector<std::vector<TimelineItem>>& lists,
                                             std::size_t limit);

}  // namespace chirp::domain
