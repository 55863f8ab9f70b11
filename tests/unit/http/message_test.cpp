#include "http/message.hpp"

#include <gtest/gtest.h>

namespace chirp::http {
namespace {

TEST(IequalsTest, IgnoresAsciiCase) {
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_FALSE(iequals("\xC3\xA9", "\xC3\x89"));  // no Unicode folding
}

TEST(RequestHeaderTest, CaseInsensitiveFirstMatch) {
  Request req;
  req.headers = {{"Content-Type", "application/json"}, {"X-Thing", "1"}, {"x-thing", "2"}};
  EXPECT_EQ(req.header("content-type"), "application/json");
  EXPECT_EQ(req.header("X-THING"), "1");
  EXPECT_EQ(req.header("Missing"), std::nullopt);
}

TEST(ResponseHeaderTest, AddAndFind) {
  Response res;
  res.add_header("Set-Cookie", "a=1");
  res.add_header("Set-Cookie", "b=2");
  res.add_header("Retry-After", "3");
  EXPECT_EQ(res.headers.size(), 3u);
  EXPECT_EQ(res.header("set-cookie"), "a=1");
  EXPECT_EQ(res.header("retry-after"), "3");
  EXPECT_EQ(res.header("Allow"), std::nullopt);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json");
}

TEST(RequestCookieTest, ParsesPairs) {
  Request req;
  req.headers = {{"Cookie", "sessionid=abc123; csrftoken=XyZ;theme=dark"}};
  EXPECT_EQ(req.cookie("sessionid"), "abc123");
  EXPECT_EQ(req.cookie("csrftoken"), "XyZ");
  EXPECT_EQ(req.cookie("theme"), "dark");
  EXPECT_EQ(req.cookie("session"), std::nullopt);
  EXPECT_EQ(req.cookie("abc123"), std::nullopt);
}

TEST(RequestCookieTest, QuotedValuesAreUnquoted) {
  Request req;
  req.headers = {{"Cookie", R"(a="hello world"; b="x\"y"; c="\101"; d="")"}};
  EXPECT_EQ(req.cookie("a"), "hello world");
  EXPECT_EQ(req.cookie("b"), "x\"y");
  EXPECT_EQ(req.cookie("c"), "A");
  EXPECT_EQ(req.cookie("d"), "");
}

TEST(RequestCookieTest, SeveralHeadersAndLastWins) {
  Request req;
  req.headers = {{"cookie", "a=1; b=2"}, {"Accept", "x"}, {"COOKIE", "a=3"}};
  EXPECT_EQ(req.cookie("a"), "3");
  EXPECT_EQ(req.cookie("b"), "2");
}

TEST(RequestCookieTest, ToleratesOddInput) {
  Request req;
  req.headers = {{"Cookie", ";; novalue; =x;  spaced  =  v  ; empty=; eq=a=b"}};
  EXPECT_EQ(req.cookie("spaced"), "v");
  EXPECT_EQ(req.cookie("empty"), "");
  EXPECT_EQ(req.cookie("eq"), "a=b");
  EXPECT_EQ(req.cookie("novalue"), std::nullopt);
  Request none;
  EXPECT_EQ(none.cookie("a"), std::nullopt);
}

TEST(DefaultHeadersTest, SecurityHeadersAreAddedUnlessSet) {
  Response res;
  res.add_header("X-Frame-Options", "SAMEORIGIN");
  res.add_header("Set-Cookie", "a=1");
  add_default_headers(res, security_headers());
  EXPECT_EQ(res.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res.header("Referrer-Policy"), "same-origin");
  EXPECT_EQ(res.header("x-frame-options"), "SAMEORIGIN");  // the handler's own value stays
  ASSERT_TRUE(res.header("Content-Security-Policy"));
  EXPECT_TRUE(res.header("Content-Security-Policy")->starts_with("default-src 'self';"));
  EXPECT_EQ(res.headers.size(), 5u);  // one of each, the cookie kept

  add_default_headers(res, security_headers());  // idempotent
  EXPECT_EQ(res.headers.size(), 5u);

  Response bare;
  add_default_headers(bare, {});
  EXPECT_TRUE(bare.headers.empty());
}

}  // namespace
}  // namespace chirp::http
