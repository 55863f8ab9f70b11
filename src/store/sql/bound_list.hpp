#pragma once
// Helpers for "WHERE id IN (...)" with one bound parameter per value, never values in the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chirp::store::sql {

// Larger lists are split into queries of this many values, far below SQLite's parameter limit.
constexpr std::size_t kMaxBoundValues = 500;

// `prefix` + "(:v0, :v1, ...)" + `suffix`, for `count` parameters.
inline std::string with_placeholders(std::string_view prefix, std::size_t count,
                                     std::string_view suffix = {}) {
  std::string sql(prefix);
  sql += '(';
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) sql += ", ";
    sql += ":v" + std::to_string(i);
  }
  sql += ')';
  sql += suffix;
  return sql;
}

// The ids without repeats, ascending: chunking a list with repeats could return a row twice.
inline std::vector<std::int64_t> distinct_ids(std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The ids as SOCI's 64-bit type, split into chunks of at most kMaxBoundValues.
inline std::vector<std::vector<long long>> id_chunks(const std::vector<std::int64_t>& ids) {
  std::vector<std::vector<long long>> chunks;
  for (std::size_t start = 0; start < ids.size(); start += kMaxBoundValues) {
    const std::size_t end = std::min(ids.size(), start + kMaxBoundValues);
    chunks.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(start),
                        ids.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return chunks;
}

}  // namespace chirp::store::sql
