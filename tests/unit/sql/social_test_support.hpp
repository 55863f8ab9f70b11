#pragma once
// Small helpers shared by the tests of the social repositories.
#include <cstddef>
#include <optional>
#include <vector>

#include "domain/timeline.hpp"

namespace chirp::store::sql::testing {

inline domain::TimeRange newest(std::size_t limit) {
  return domain::TimeRange{std::nullopt, std::nullopt, limit};
}
inline domain::TimeRange older_than(Micros before, std::size_t limit) {
  return domain::TimeRange{before, std::nullopt, limit};
}
inline domain::TimeRange newer_than(Micros after, std::size_t limit) {
  return domain::TimeRange{std::nullopt, after, limit};
}

inline std::vector<std::int64_t> ids_of(const std::vector<domain::TimelineItem>& items) {
  std::vector<std::int64_t> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

inline std::vector<Micros> times_of(const std::vector<domain::TimelineItem>& items) {
  std::vector<Micros> times;
  for (const auto& item : items) times.push_back(item.created_at);
  return times;
}

}  // namespace chirp::store::sql::testing
