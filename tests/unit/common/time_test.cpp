#include "common/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

namespace chirp {
namespace {

constexpr Micros kDay = 86'400'000'000;

TEST(FormatIso8601, KnownInstants) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(1764254810123456), "2025-11-27T14:46:50.123456Z");
  EXPECT_EQ(format_iso8601(1795790810000000), "2026-11-27T14:46:50.000000Z");
  EXPECT_EQ(format_iso8601(951782400000000), "2000-02-29T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(253402300799999999), "9999-12-31T23:59:59.999999Z");
}

TEST(FormatIso8601, PreEpochInstants) {
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_iso8601(-86400000001), "1969-12-30T23:59:59.999999Z");
  EXPECT_EQ(format_iso8601(-kDay), "1969-12-31T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(-62135596800000000), "0001-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(-62167219200000000), "0000-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_iso8601(-62167219200000001), "-0001-12-31T23:59:59.999999Z");
}

TEST(FormatIso8601, ExtremesDoNotCrash) {
  const std::string max = format_iso8601(std::numeric_limits<Micros>::max());
  const std::string min = format_iso8601(std::numeric_limits<Micros>::min());
  EXPECT_EQ(max, "294247-01-10T04:00:54.775807Z");
  EXPECT_EQ(min, "-290308-12-21T19:59:05.224192Z");
}

// Walks day by day with a naive calendar and checks every date the formatter produces.
TEST(FormatIso8601, MatchesNaiveCalendarFrom1600To2400) {
  auto is_leap = [](int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  auto month_len = [&](int y, int m) {
    static constexpr int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kLen[m - 1];
  };
  char expected[64];
  {
    int y = 1970, m = 1, d = 1;
    for (Micros day = 0; y < 2400; ++day) {
      std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT12:34:56.000007Z", y, m, d);
      ASSERT_EQ(format_iso8601(day * kDay + 45296000007), expected);
      if (++d > month_len(y, m)) {
        d = 1;
        if (++m > 12) m = 1, ++y;
      }
    }
  }
  {
    int y = 1969, m = 12, d = 31;
    for (Micros day = -1; y >= 1600; --day) {
      std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT00:00:00.000000Z", y, m, d);
      ASSERT_EQ(format_iso8601(day * kDay), expected);
      if (--d < 1) {
        if (--m < 1) m = 12, --y;
        d = month_len(y, m);
      }
    }
  }
}

TEST(ParseCursor, RoundTripsFormattedValues) {
  std::mt19937_64 rng(12345);
  // 0000-01-01 .. 9999-12-31, the range a four-digit year can express.
  std::uniform_int_distribution<Micros> dist(-62167219200000000, 253402300799999999);
  for (int i = 0; i < 20000; ++i) {
    const Micros t = dist(rng);
    ASSERT_EQ(parse_cursor(format_iso8601(t)), t) << format_iso8601(t);
  }
  for (Micros t : {Micros{0}, Micros{1}, Micros{-1}, Micros{999999}, Micros{1764254810123456},
                   Micros{-62167219200000000}, Micros{253402300799999999}}) {
    EXPECT_EQ(parse_cursor(format_iso8601(t)), t) << t;
  }
}

TEST(ParseCursor, KnownInstants) {
  EXPECT_EQ(parse_cursor("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_cursor("2025-11-27T14:46:50.123456Z"), 1764254810123456);
  EXPECT_EQ(parse_cursor("2024-02-29T12:00:00Z"), 1709208000000000);
  EXPECT_EQ(parse_cursor("2000-02-29T00:00:00Z"), 951782400000000);
  EXPECT_EQ(parse_cursor("1969-12-31T23:59:59.999999Z"), -1);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50+00:00"), 1795790810000000);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50-00:00"), 1795790810000000);
}

TEST(ParseCursor, OffsetsConvertToUtc) {
  const Micros utc = *parse_cursor("2026-11-27T14:46:50Z");
  const Micros hour = 3'600'000'000, minute = 60'000'000;
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50+05:30"), utc - 5 * hour - 30 * minute);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50-05:30"), utc + 5 * hour + 30 * minute);
  EXPECT_EQ(parse_cursor("2026-11-27T20:16:50+05:30"), utc);
  EXPECT_EQ(parse_cursor("2026-11-27T09:16:50-05:30"), utc);
  EXPECT_EQ(parse_cursor("2026-11-28T13:46:50+23:00"), utc);
  // An offset can move the instant across a day, month or year boundary.
  EXPECT_EQ(parse_cursor("2027-01-01T01:00:00+02:00"), *parse_cursor("2026-12-31T23:00:00Z"));
  EXPECT_EQ(parse_cursor("2026-12-31T23:00:00.5-01:00"),
            *parse_cursor("2027-01-01T00:00:00.500000Z"));
}

TEST(ParseCursor, FractionalDigitCounts) {
  const Micros base = *parse_cursor("2026-11-27T14:46:50Z");
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.1Z"), base + 100000);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.12Z"), base + 120000);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.123Z"), base + 123000);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.1234Z"), base + 123400);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.12345Z"), base + 123450);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.123456Z"), base + 123456);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.000001Z"), base + 1);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.5+01:00"), base + 500000 - 3'600'000'000);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.Z"), std::nullopt);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.1234567Z"), std::nullopt);
  EXPECT_EQ(parse_cursor("2026-11-27T14:46:50.+01:00"), std::nullopt);
}

TEST(ParseCursor, RejectsOutOfRangeFields) {
  for (const char* s : {
           "2026-00-10T00:00:00Z",
           "2026-13-10T00:00:00Z",  // month
           "2026-01-00T00:00:00Z",
           "2026-01-32T00:00:00Z",  // day
           "2026-04-31T00:00:00Z",
           "2026-02-30T00:00:00Z",
           "2025-02-29T00:00:00Z",
           "1900-02-29T00:00:00Z",  // not leap years
           "2026-01-01T24:00:00Z",
           "2026-01-01T00:60:00Z",
           "2026-01-01T00:00:60Z",
           "2026-01-01T00:00:00+24:00",
           "2026-01-01T00:00:00+05:60",
       }) {
    EXPECT_EQ(parse_cursor(s), std::nullopt) << s;
  }
  EXPECT_NE(parse_cursor("2024-02-29T00:00:00Z"), std::nullopt);
  EXPECT_NE(parse_cursor("2000-02-29T00:00:00Z"), std::nullopt);
  EXPECT_NE(parse_cursor("2026-12-31T23:59:59.999999+23:59"), std::nullopt);
}

TEST(ParseCursor, IntegerMicros) {
  EXPECT_EQ(parse_cursor("0"), 0);
  EXPECT_EQ(parse_cursor("1764254810123456"), 1764254810123456);
  EXPECT_EQ(parse_cursor("-1764254810123456"), -1764254810123456);
  EXPECT_EQ(parse_cursor("2026"), 2026);
  EXPECT_EQ(parse_cursor("9223372036854775807"), std::numeric_limits<Micros>::max());
  EXPECT_EQ(parse_cursor("-9223372036854775808"), std::numeric_limits<Micros>::min());
  EXPECT_EQ(parse_cursor("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse_cursor("+5"), std::nullopt);
  EXPECT_EQ(parse_cursor("-"), std::nullopt);
  EXPECT_EQ(parse_cursor("1.5"), std::nullopt);
  EXPECT_EQ(parse_cursor("12 "), std::nullopt);
}

TEST(ParseCursor, RejectsGarbage) {
  for (const char* s : {
           "",
           " ",
           "Z",
           "now",
           "2026-11-27",
           "2026-11-27T14:46:50",   // no zone
           "2026-11-27T14:46:50z",  // lowercase z
           "2026-11-27 14:46:50Z",
           "2026-11-27t14:46:50Z",  // separator
           " 2026-11-27T14:46:50Z",
           "2026-11-27T14:46:50Z ",
           "2026-11-27T14:46:50ZZ",
           "2026-11-27T14:46Z",
           "2026-1-27T14:46:50Z",
           "26-11-27T14:46:50Z",
           "+2026-11-27T14:46:50Z",
           "2026/11/27T14:46:50Z",
           "2026-11-27T14:46:50+0530",
           "2026-11-27T14:46:50+05",
           "2026-11-27T14:46:50+5:30",
           "2026-11-27T14:46:50+05:30Z",
           "2026-11-27T14:46:50 +05:30",
           "2026-11-27T14:46:50UTC",
           "2026-11-27T14:4a:50Z",
           "2026-11-27T14:46:50,5Z",
           "2026-11-27T14:46:50.12a4Z",
           "0x10",
           "1e6",
       }) {
    EXPECT_EQ(parse_cursor(s), std::nullopt) << s;
  }
}

TEST(NowMicros, TracksSystemClock) {
  using namespace std::chrono;
  const Micros before = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  const Micros now = now_micros();
  const Micros after = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace chirp
