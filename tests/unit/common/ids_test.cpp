#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace chirp {
namespace {

constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
constexpr auto kMin = std::numeric_limits<std::int64_t>::min();

TEST(ParsePositiveId, AcceptsPositiveDecimals) {
  EXPECT_EQ(parse_positive_id("1"), 1);
  EXPECT_EQ(parse_positive_id("42"), 42);
  EXPECT_EQ(parse_positive_id("007"), 7);
  EXPECT_EQ(parse_positive_id("9223372036854775807"), kMax);
  EXPECT_EQ(parse_positive_id("00009223372036854775807"), kMax);
}

TEST(ParsePositiveId, RejectsEverythingElse) {
  for (const char* s : {"", "0", "000", "-1", "+1", " 1", "1 ", "1a", "a1", "1.0", "0x10",
                        "9223372036854775808", "99999999999999999999", "-", "+", "١"}) {
    EXPECT_EQ(parse_positive_id(s), std::nullopt) << s;
  }
}

TEST(ParseInt64, AcceptsSignedDecimals) {
  EXPECT_EQ(parse_int64("0"), 0);
  EXPECT_EQ(parse_int64("-0"), 0);
  EXPECT_EQ(parse_int64("+0"), 0);
  EXPECT_EQ(parse_int64("12"), 12);
  EXPECT_EQ(parse_int64("+12"), 12);
  EXPECT_EQ(parse_int64("-12"), -12);
  EXPECT_EQ(parse_int64("007"), 7);
  EXPECT_EQ(parse_int64("9223372036854775807"), kMax);
  EXPECT_EQ(parse_int64("+9223372036854775807"), kMax);
  EXPECT_EQ(parse_int64("-9223372036854775808"), kMin);
}

TEST(ParseInt64, RejectsEverythingElse) {
  for (const char* s :
       {"", "-", "+", "+-1", "-+1", "--1", "++1", " 1", "1 ", "1-", "1e3", "1.5", "abc",
        "9223372036854775808", "+9223372036854775808", "-9223372036854775809", "0x1"}) {
    EXPECT_EQ(parse_int64(s), std::nullopt) << s;
  }
}

}  // namespace
}  // namespace chirp
