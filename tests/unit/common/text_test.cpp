#include "common/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace chirp {
namespace {

using namespace std::string_view_literals;

TEST(IsValidUtf8, AcceptsWellFormedText) {
  for (std::string_view s :
       {""sv, "plain ascii"sv, "h\xC3\xA9llo"sv, "\xE2\x82\xAC"sv, "\xF0\x9F\x98\x80"sv,
        "\xF4\x8F\xBF\xBF"sv, "\xED\x9F\xBF"sv, "\xEE\x80\x80"sv, "\xC2\x80"sv, "\xE0\xA0\x80"sv,
        "\xF0\x90\x80\x80"sv, "a\0b"sv, "0123456789abcdef0123456789\xC3\xA9xyz"sv}) {
    EXPECT_TRUE(is_valid_utf8(s)) << testing::PrintToString(s);
  }
}

TEST(IsValidUtf8, RejectsMalformedText) {
  for (std::string_view s : {
           "\xC0\xAF"sv,          // overlong '/'
           "\xC1\xBF"sv,          // overlong
           "\xE0\x80\xAF"sv,      // overlong 3-byte
           "\xE0\x9F\xBF"sv,      // overlong 3-byte (max)
           "\xF0\x80\x80\xAF"sv,  // overlong 4-byte
           "\xF0\x8F\xBF\xBF"sv,  // overlong 4-byte (max)
           "\xED\xA0\x80"sv,      // U+D800
           "\xED\xBF\xBF"sv,      // U+DFFF
           "\xF4\x90\x80\x80"sv,  // U+110000
           "\xF5\x80\x80\x80"sv,  // lead byte past U+10FFFF
           "\xFF"sv,
           "\xFE"sv,  // never valid
           "\x80"sv,
           "a\xBF"sv,  // stray continuation
           "\xC3"sv,
           "abc\xE2\x82"sv,   // truncated
           "\xF0\x9F\x98"sv,  // truncated 4-byte
           "\xC3\x28"sv,      // bad continuation
           "\xE2\x28\xA1"sv,
           "\xF0\x9F\x28\x80"sv,
           "0123456789abcdef\xC3"sv,  // truncated after the ASCII fast path
       }) {
    EXPECT_FALSE(is_valid_utf8(s)) << testing::PrintToString(s);
  }
}

TEST(CodePointLength, CountsCodePointsNotBytes) {
  EXPECT_EQ(code_point_length(""), 0u);
  EXPECT_EQ(code_point_length("abc"), 3u);
  EXPECT_EQ(code_point_length("h\xC3\xA9llo w\xC3\xB6rld"), 11u);  // "héllo wörld"
  EXPECT_EQ(code_point_length("\xF0\x9F\x98\x80"), 1u);            // 😀
  EXPECT_EQ(code_point_length("a\xF0\x9F\x98\x80\xE2\x82\xAC"), 3u);
}

TEST(Trim, StripsAsciiWhitespace) {
  EXPECT_EQ(trim("  hello \t\r\n"), "hello");
  EXPECT_EQ(trim("\v\fhello"), "hello");
  EXPECT_EQ(trim("\x1C\x1D\x1E\x1Fx\x1F"), "x");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t \n"), "");
  EXPECT_EQ(trim("nothing"), "nothing");
}

TEST(Trim, KeepsInnerWhitespace) {
  EXPECT_EQ(trim("  hello   world  "), "hello   world");
  EXPECT_EQ(trim("\xE3\x80\x80"
                 "a\xE3\x80\x80"
                 "b\xE3\x80\x80"),
            "a\xE3\x80\x80"
            "b");
}

TEST(Trim, StripsUnicodeWhitespace) {
  EXPECT_EQ(trim("\xE3\x80\x80hi\xE3\x80\x80"), "hi");  // U+3000
  EXPECT_EQ(trim("\xC2\xA0hi\xC2\xA0"), "hi");          // U+00A0
  EXPECT_EQ(trim("\xC2\x85hi"), "hi");                  // U+0085
  EXPECT_EQ(trim("\xE1\x9A\x80hi"), "hi");              // U+1680
  EXPECT_EQ(trim("\xE2\x80\x80\xE2\x80\x8Ahi"), "hi");  // U+2000, U+200A
  EXPECT_EQ(trim("hi\xE2\x80\xA8\xE2\x80\xA9"), "hi");  // U+2028, U+2029
  EXPECT_EQ(trim("hi\xE2\x80\xAF\xE2\x81\x9F"), "hi");  // U+202F, U+205F
  EXPECT_EQ(trim(" \xC2\xA0 \xE3\x80\x80"), "");
}

TEST(Trim, KeepsNonWhitespaceLookalikes) {
  EXPECT_EQ(trim("\xE2\x80\x8Bhi"), "\xE2\x80\x8Bhi");  // U+200B zero width space
  EXPECT_EQ(trim("\xEF\xBB\xBFhi"), "\xEF\xBB\xBFhi");  // U+FEFF BOM
  EXPECT_EQ(trim("hi\xC3\xA9"), "hi\xC3\xA9");          // ends in a multi-byte letter
  EXPECT_EQ(trim("\xF0\x9F\x98\x80 "), "\xF0\x9F\x98\x80");
}

TEST(Trim, InvalidUtf8TrimsOnlyAscii) {
  EXPECT_EQ(trim(" \xC2\xA0\xFF "), "\xC2\xA0\xFF");
  EXPECT_EQ(trim("\t\xC0\xAF\n"), "\xC0\xAF");
}

TEST(ToLowerAscii, LowersOnlyAsciiLetters) {
  EXPECT_EQ(to_lower_ascii("Hello WORLD 123"), "hello world 123");
  EXPECT_EQ(to_lower_ascii("\xC3\x89"
                           "A"),
            "\xC3\x89"
            "a");  // É untouched
  EXPECT_EQ(to_lower_ascii("@[`{"), "@[`{");
  EXPECT_EQ(to_lower_ascii(""), "");
}

}  // namespace
}  // namespace chirp
