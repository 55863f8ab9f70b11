#include <gtest/gtest.h>

#include <string>

#include "body_test_util.hpp"
#include "common/errors.hpp"
#include "http/body.hpp"

namespace chirp::http {
namespace {

using testing::request_with_body;

Input parse_json(std::string body, const BodyLimits& limits = {}) {
  return parse_body(request_with_body("application/json", std::move(body)), limits);
}

std::string json_error(std::string body, const BodyLimits& limits = {}) {
  try {
    parse_json(std::move(body), limits);
  } catch (const JsonParseError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(JsonBodyTest, ScalarTypes) {
  const Input in = parse_json(
      R"({"s": "héllo", "i": 12, "neg": -3, "big": 18446744073709551615, "f": 1.5, "e": 1E3,)"
      R"( "t": true, "no": false, "n": null, "esc": "a\"b\\c\u00e9\n"})");
  ASSERT_EQ(in.fields.size(), 10u);
  EXPECT_EQ(in.fields[0].first, "s");
  EXPECT_EQ(in.get("s")->kind, FieldKind::Text);
  EXPECT_EQ(in.get("s")->text, "héllo");
  EXPECT_TRUE(in.get("s")->valid_utf8);
  EXPECT_EQ(in.get("i")->kind, FieldKind::Number);
  EXPECT_EQ(in.get("i")->text, "12");
  EXPECT_EQ(in.get("neg")->text, "-3");
  EXPECT_EQ(in.get("big")->kind, FieldKind::Number);
  EXPECT_EQ(in.get("big")->text, "18446744073709551615");
  EXPECT_EQ(in.get("f")->kind, FieldKind::Number);
  EXPECT_EQ(in.get("f")->text, "1.5");
  EXPECT_EQ(in.get("e")->text, "1E3");  // the spelling the client sent
  EXPECT_EQ(in.get("t")->kind, FieldKind::Bool);
  EXPECT_TRUE(in.get("t")->boolean);
  EXPECT_EQ(in.get("t")->text, "true");
  EXPECT_FALSE(in.get("no")->boolean);
  EXPECT_EQ(in.get("no")->text, "false");
  EXPECT_EQ(in.get("n")->kind, FieldKind::Null);
  EXPECT_EQ(in.get("n")->text, "");
  EXPECT_EQ(in.get("esc")->text, "a\"b\\c\xC3\xA9\n");
  EXPECT_TRUE(in.files.empty());
}

TEST(JsonBodyTest, StringNumberStaysText) {
  const Input in = parse_json(R"({"user_id": "12"})");
  EXPECT_EQ(in.get("user_id")->kind, FieldKind::Text);
  EXPECT_EQ(in.get("user_id")->text, "12");
}

TEST(JsonBodyTest, ArraysAndNestedObjects) {
  const Input in = parse_json(R"({"a": [1, "x", [true, null], {"k": 1}], "o": {"p": [1], "q": {}},)"
                              R"( "after": 7, "empty": []})");
  ASSERT_EQ(in.fields.size(), 4u);
  const FieldValue* a = in.get("a");
  ASSERT_EQ(a->kind, FieldKind::Array);
  ASSERT_EQ(a->items.size(), 4u);
  EXPECT_EQ(a->items[0].kind, FieldKind::Number);
  EXPECT_EQ(a->items[0].text, "1");
  EXPECT_EQ(a->items[1].text, "x");
  ASSERT_EQ(a->items[2].kind, FieldKind::Array);
  ASSERT_EQ(a->items[2].items.size(), 2u);
  EXPECT_TRUE(a->items[2].items[0].boolean);
  EXPECT_EQ(a->items[2].items[1].kind, FieldKind::Null);
  EXPECT_EQ(a->items[3].kind, FieldKind::Object);
  EXPECT_EQ(in.get("o")->kind, FieldKind::Object);
  // Members of a nested object never leak to the top level.
  EXPECT_EQ(in.get("p"), nullptr);
  EXPECT_EQ(in.get("k"), nullptr);
  EXPECT_EQ(in.get("after")->text, "7");
  EXPECT_EQ(in.get("empty")->kind, FieldKind::Array);
  EXPECT_TRUE(in.get("empty")->items.empty());
}

TEST(JsonBodyTest, DuplicateKeysLastWins) {
  const Input in = parse_json(R"({"a": 1, "a": 2})");
  EXPECT_EQ(in.fields.size(), 2u);
  EXPECT_EQ(in.get("a")->text, "2");
}

TEST(JsonBodyTest, EmptyObject) {
  const Input in = parse_json("  {}\n");
  EXPECT_TRUE(in.fields.empty());
  EXPECT_FALSE(in.has("a"));
}

TEST(JsonBodyTest, EmptyBodyIsEmptyInput) {
  const Input in = parse_json("");
  EXPECT_TRUE(in.fields.empty());
  EXPECT_TRUE(in.files.empty());
}

TEST(JsonBodyTest, MediaTypeIsCaseInsensitiveWithParameters) {
  const Input in =
      parse_body(request_with_body("Application/JSON; charset=UTF-8", R"({"a": "b"})"));
  EXPECT_EQ(in.get("a")->text, "b");
}

TEST(JsonBodyTest, MalformedJson) {
  for (const char* body :
       {"{", "{\"a\": }", "{\"a\" 1}", "{'a': 1}", "{\"a\": 1,}", "   ", "{\"a\": 1} x",
        "{\"a\": 01}", "{\"a\": tru}", "{\"a\": \"\\q\"}", "{\"a\": NaN}", "{\"a\": 1} // c"}) {
    EXPECT_THROW(parse_json(body), JsonParseError) << body;
  }
  EXPECT_NE(json_error("{"), "");
  EXPECT_NE(json_error("{").find("end of input"), std::string::npos) << json_error("{");
}

TEST(JsonBodyTest, TopLevelMustBeAnObject) {
  for (const char* body : {"[]", "[1, 2]", "\"text\"", "12", "null", "true"}) {
    EXPECT_EQ(json_error(body), "JSON body must be an object") << body;
  }
}

TEST(JsonBodyTest, InvalidUtf8IsRejected) {
  EXPECT_THROW(parse_json("{\"a\": \"\xff\"}"), JsonParseError);
  EXPECT_THROW(parse_json("{\"a\": \"\xC3\"}"), JsonParseError);
  EXPECT_THROW(parse_json("{\"\xC0\xAF\": 1}"), JsonParseError);          // overlong '/'
  EXPECT_THROW(parse_json("{\"a\": \"\xED\xA0\x80\"}"), JsonParseError);  // surrogate
  // Escaped lone surrogates are not UTF-8 either.
  EXPECT_THROW(parse_json(R"({"a": "\ud800"})"), JsonParseError);
}

TEST(JsonBodyTest, DepthLimit) {
  BodyLimits limits;
  limits.max_json_depth = 4;
  EXPECT_NO_THROW(parse_json(R"({"a": [[[1]]]})", limits));
  EXPECT_THROW(parse_json(R"({"a": [[[[1]]]]})", limits), JsonParseError);
  // The default limit protects against deep nesting attacks.
  const std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_THROW(parse_json(deep), JsonParseError);
}

}  // namespace
}  // namespace chirp::http
