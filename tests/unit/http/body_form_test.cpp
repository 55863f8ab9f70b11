#include <gtest/gtest.h>

#include "body_test_util.hpp"
#include "common/errors.hpp"
#include "http/body.hpp"

namespace chirp::http {
namespace {

using testing::request_with_body;

TEST(FormBodyTest, FieldsAreDecodedText) {
  const Input in = parse_body(request_with_body(
      "application/x-www-form-urlencoded", "username=j%C3%B6rg&password=a+b%2Bc&flag&x=1&x=2"));
  ASSERT_EQ(in.fields.size(), 5u);
  EXPECT_EQ(in.fields[0].first, "username");
  EXPECT_EQ(in.get("username")->kind, FieldKind::Text);
  EXPECT_EQ(in.get("username")->text, "j\xC3\xB6rg");
  EXPECT_TRUE(in.get("username")->valid_utf8);
  EXPECT_EQ(in.get("password")->text, "a b+c");
  EXPECT_EQ(in.get("flag")->text, "");
  EXPECT_TRUE(in.has("flag"));
  EXPECT_EQ(in.get("x")->text, "2");
  EXPECT_EQ(in.get("nothing"), nullptr);
  EXPECT_FALSE(in.has("nothing"));
}

TEST(FormBodyTest, InvalidUtf8IsFlaggedPerField) {
  const Input in = parse_body(
      request_with_body("application/x-www-form-urlencoded", "content=%FF%FE&ok=fine&half=%C3"));
  EXPECT_FALSE(in.get("content")->valid_utf8);
  EXPECT_EQ(in.get("content")->text, "\xFF\xFE");
  EXPECT_TRUE(in.get("ok")->valid_utf8);
  EXPECT_FALSE(in.get("half")->valid_utf8);
}

TEST(FormBodyTest, MediaTypeIsCaseInsensitiveWithCharset) {
  const Input in =
      parse_body(request_with_body("Application/X-WWW-Form-Urlencoded ; charset=utf-8", "a=1"));
  EXPECT_EQ(in.get("a")->text, "1");
}

TEST(FormBodyTest, EmptyBodyIsEmptyWhateverTheType) {
  for (const char* type :
       {"application/x-www-form-urlencoded", "text/plain", "", "multipart/form-data"}) {
    const Input in = parse_body(request_with_body(type, ""));
    EXPECT_TRUE(in.fields.empty()) << type;
    EXPECT_TRUE(in.files.empty()) << type;
  }
}

std::string unsupported_type(std::string_view content_type, std::string body) {
  try {
    parse_body(request_with_body(content_type, std::move(body)));
  } catch (const UnsupportedMediaType& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(FormBodyTest, UnsupportedMediaTypes) {
  EXPECT_EQ(unsupported_type("text/plain", "hello"), "text/plain");
  EXPECT_EQ(unsupported_type("text/plain; charset=utf-8", "a=1"), "text/plain; charset=utf-8");
  EXPECT_EQ(unsupported_type("application/xml", "<a/>"), "application/xml");
  EXPECT_EQ(unsupported_type("application/jsonx", "{}"), "application/jsonx");
  EXPECT_EQ(unsupported_type("", "a=1"), "");  // a body without Content-Type
}

TEST(InputTest, GetHasAndFilesNamed) {
  Input in;
  in.fields.push_back({"a", FieldValue{FieldKind::Text, "1", false, true, {}}});
  in.fields.push_back({"a", FieldValue{FieldKind::Text, "2", false, true, {}}});
  in.files.push_back({"files", "x.jpg", "image/jpeg", "X"});
  in.files.push_back({"other", "y.jpg", "image/jpeg", "Y"});
  in.files.push_back({"files", "z.png", "image/png", "Z"});
  EXPECT_EQ(in.get("a")->text, "2");
  EXPECT_EQ(in.get("files"), nullptr);
  EXPECT_TRUE(in.has("files"));
  EXPECT_TRUE(in.has("a"));
  const auto files = in.files_named("files");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0]->filename, "x.jpg");
  EXPECT_EQ(files[1]->filename, "z.png");
  EXPECT_TRUE(in.files_named("none").empty());
}

}  // namespace
}  // namespace chirp::http
