#include "common/ids.hpp"

#include <charconv>

namespace chirp {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// `s` is an optional '-' then digits (already checked); nullopt when out of int64 range.
std::optional<std::int64_t> to_int64(std::string_view s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::int64_t> parse_positive_id(std::string_view s) {
  if (!all_digits(s)) return std::nullopt;
  auto v = to_int64(s);
  if (!v || *v < 1) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+')
    s.remove_prefix(1);
  else if (s.front() == '-') {
    // Keep the '-' for from_chars so INT64_MIN, whose magnitude exceeds INT64_MAX, parses.
    if (!all_digits(s.substr(1))) return std::nullopt;
    return to_int64(s);
  }
  if (!all_digits(s)) return std::nullopt;
  return to_int64(s);
}

}  // namespace chirp
