#include "common/time.hpp"

#include <chrono>
#include <cstdlib>

#include "common/ids.hpp"

namespace chirp {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Proleptic Gregorian date of `days` since 1970-01-01, valid over the whole int64 Micros range
// (std::chrono::year stops at ±32767). Counts in 400-year eras that start on March 1st, so the
// leap day is the last day of each era-year and month lengths follow a fixed 153-day pattern.
CivilDate civil_from_days(std::int64_t days) {
  constexpr std::int64_t kDaysPerEra = 146'097;
  constexpr std::int64_t kEpochShift = 719'468;  // 0000-03-01 .. 1970-01-01
  const std::int64_t z = days + kEpochShift;
  const std::int64_t era = (z >= 0 ? z : z - (kDaysPerEra - 1)) / kDaysPerEra;
  const std::int64_t day_of_era = z - era * kDaysPerEra;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const auto month =
      static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// Writes `v` as exactly `width` decimal digits ending just before `end`; returns the new start.
char* put_digits(char* end, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return end;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `n` digits at s[pos]; false when any is not a digit.
bool read_fixed(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool is_integer_syntax(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

std::optional<Micros> parse_datetime(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!read_fixed(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !read_fixed(s, 5, 2, month) ||
      s[7] != '-' || !read_fixed(s, 8, 2, day) || s[10] != 'T' || !read_fixed(s, 11, 2, hour) ||
      s[13] != ':' || !read_fixed(s, 14, 2, minute) || s[16] != ':' ||
      !read_fixed(s, 17, 2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t fraction = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (++digits > 6) return std::nullopt;
      fraction = fraction * 10 + (s[pos] - '0');
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) fraction *= 10;
  }

  std::int64_t offset_seconds = 0;
  if (pos + 1 == s.size() && s[pos] == 'Z') {
    // UTC
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int off_h, off_m;
    if (!read_fixed(s, pos + 1, 2, off_h) || !read_fixed(s, pos + 4, 2, off_m) || off_h > 23 ||
        off_m > 59) {
      return std::nullopt;
    }
    offset_seconds = (off_h * 60 + off_m) * 60;
    if (s[pos] == '-') offset_seconds = -offset_seconds;
  } else {
    return std::nullopt;
  }

  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t local_seconds = (hour * 60 + minute) * 60 + second;
  return days * kMicrosPerDay + (local_seconds - offset_seconds) * kMicrosPerSecond + fraction;
}

}  // namespace

Micros now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_iso8601(Micros t) {
  // Floor division: pre-1970 instants belong to the earlier day with a non-negative time of day.
  std::int64_t days = t / kMicrosPerDay;
  std::int64_t of_day = t % kMicrosPerDay;
  if (of_day < 0) {
    of_day += kMicrosPerDay;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const auto micros = static_cast<std::uint64_t>(of_day % kMicrosPerSecond);
  const auto secs = static_cast<std::uint64_t>(of_day / kMicrosPerSecond);

  // "-292277-..." is the longest possible; years outside 0..9999 get a sign and/or extra digits.
  char buf[40];
  char* const end = buf + sizeof buf;
  char* p = end;
  *--p = 'Z';
  p = put_digits(p, micros, 6);
  *--p = '.';
  p = put_digits(p, secs % 60, 2);
  *--p = ':';
  p = put_digits(p, secs / 60 % 60, 2);
  *--p = ':';
  p = put_digits(p, secs / 3600, 2);
  *--p = 'T';
  p = put_digits(p, date.day, 2);
  *--p = '-';
  p = put_digits(p, date.month, 2);
  *--p = '-';
  const std::uint64_t abs_year = date.year < 0 ? static_cast<std::uint64_t>(-date.year)
                                               : static_cast<std::uint64_t>(date.year);
  int year_width = 4;
  for (std::uint64_t y = abs_year / 10000; y > 0; y /= 10) ++year_width;
  p = put_digits(p, abs_year, year_width);
  if (date.year < 0) *--p = '-';
  return std::string(p, end);
}

std::optional<Micros> parse_cursor(std::string_view s) {
  if (is_integer_syntax(s)) return parse_int64(s);
  return parse_datetime(s);
}

}  // namespace chirp
