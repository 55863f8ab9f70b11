#include "http/query.hpp"

#include <gtest/gtest.h>

namespace chirp::http {
namespace {

TEST(UrlDecodeTest, DecodesEscapesAndPlus) {
  EXPECT_EQ(url_decode("a+b%20c"), "a b c");
  EXPECT_EQ(url_decode("%C3%A9t%c3%a9"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(url_decode("%2B%26%3D"), "+&=");
  EXPECT_EQ(url_decode("%00x"), std::string("\0x", 2));
}

TEST(UrlDecodeTest, KeepsMalformedEscapes) {
  EXPECT_EQ(url_decode("100%"), "100%");
  EXPECT_EQ(url_decode("%4"), "%4");
  EXPECT_EQ(url_decode("%zz%4g"), "%zz%4g");
  EXPECT_EQ(url_decode("%%41"), "%A");
}

TEST(PercentDecodeTest, LeavesPlus) {
  EXPECT_EQ(percent_decode("/a+b/%41%2f"), "/a+b/A/");
}

TEST(QueryParamsTest, LastValueWins) {
  const QueryParams q("a=1&b=2&a=3");
  EXPECT_EQ(q.get("a"), "3");
  EXPECT_EQ(q.get("b"), "2");
  EXPECT_EQ(q.get("c"), std::nullopt);
  EXPECT_TRUE(q.has("a"));
  EXPECT_FALSE(q.has("c"));
  ASSERT_EQ(q.all().size(), 3u);
  EXPECT_EQ(q.all()[0], (std::pair<std::string, std::string>{"a", "1"}));
}

TEST(QueryParamsTest, KeysAndValuesAreDecoded) {
  const QueryParams q("user%5Fid=12&name=J%C3%B6rg+M&x%20y=%3D");
  EXPECT_EQ(q.get("user_id"), "12");
  EXPECT_EQ(q.get("name"), "J\xC3\xB6rg M");
  EXPECT_EQ(q.get("x y"), "=");
}

TEST(QueryParamsTest, KeyWithoutValue) {
  const QueryParams q("flag&empty=&v=1=2");
  EXPECT_EQ(q.get("flag"), "");
  EXPECT_TRUE(q.has("flag"));
  EXPECT_EQ(q.get("empty"), "");
  EXPECT_EQ(q.get("v"), "1=2");
}

TEST(QueryParamsTest, EmptyPiecesAreSkipped) {
  EXPECT_TRUE(QueryParams("").all().empty());
  EXPECT_TRUE(QueryParams().all().empty());
  const QueryParams q("&&a=1&&");
  ASSERT_EQ(q.all().size(), 1u);
  EXPECT_EQ(q.get("a"), "1");
}

TEST(QueryParamsTest, CursorValuesSurvive) {
  const QueryParams q("created_at__lt=2026-11-27T14:46:50.123456%2B00:00");
  EXPECT_EQ(q.get("created_at__lt"), "2026-11-27T14:46:50.123456+00:00");
  // An unescaped '+' is a space, as in Django.
  EXPECT_EQ(QueryParams("t=12:00+01:00").get("t"), "12:00 01:00");
}

}  // namespace
}  // namespace chirp::http
