#include <gtest/gtest.h>

#include <string>

#include "body_test_util.hpp"
#include "common/errors.hpp"
#include "http/body.hpp"

namespace chirp::http {
namespace {

using testing::request_with_body;
using namespace std::string_literals;

constexpr std::string_view kBoundary = "----chirpBoundary7MA4YWxk";

std::string text_part(std::string_view name, std::string_view value) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
         std::string(name) + "\"\r\n\r\n" + std::string(value) + "\r\n";
}

std::string file_part(std::string_view name, std::string_view filename, std::string_view type,
                      std::string_view data) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
         std::string(name) + "\"; filename=\"" + std::string(filename) +
         "\"\r\nContent-Type: " + std::string(type) + "\r\n\r\n" + std::string(data) + "\r\n";
}

std::string closing() {
  return "--" + std::string(kBoundary) + "--\r\n";
}

Input parse_multipart(std::string body, const BodyLimits& limits = {}) {
  return parse_body(
      request_with_body("multipart/form-data; boundary=" + std::string(kBoundary), std::move(body)),
      limits);
}

std::string malformed(std::string content_type, std::string body, const BodyLimits& limits = {}) {
  try {
    parse_body(request_with_body(content_type, std::move(body)), limits);
  } catch (const MalformedRequest& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(MultipartBodyTest, TextFields) {
  const Input in = parse_multipart(text_part("content", "hello\r\nworld") + text_part("n", "12") +
                                   text_part("empty", "") + text_part("n", "13") + closing());
  ASSERT_EQ(in.fields.size(), 4u);
  EXPECT_EQ(in.fields[0].first, "content");
  EXPECT_EQ(in.get("content")->kind, FieldKind::Text);
  EXPECT_EQ(in.get("content")->text, "hello\r\nworld");
  EXPECT_TRUE(in.get("content")->valid_utf8);
  EXPECT_EQ(in.get("empty")->text, "");
  EXPECT_EQ(in.get("n")->text, "13");
  EXPECT_TRUE(in.files.empty());
}

TEST(MultipartBodyTest, InvalidUtf8TextIsFlagged) {
  const Input in = parse_multipart(text_part("bad", "\xff\xfe") + text_part("ok", "é") + closing());
  EXPECT_FALSE(in.get("bad")->valid_utf8);
  EXPECT_EQ(in.get("bad")->text, "\xff\xfe");
  EXPECT_TRUE(in.get("ok")->valid_utf8);
}

TEST(MultipartBodyTest, BinaryFilesArePreservedExactly) {
  // CR, LF, NUL, a lone "--", something that looks like a boundary but is not preceded by CRLF,
  // and trailing CRLFs inside the data.
  const std::string jpeg =
      "\xFF\xD8\xFF\xE0\0\r\n\r\n--\r\n\0\0\x01--"s + std::string(kBoundary) + "\rX\n\r\n"s;
  const std::string png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s + std::string(3000, '\0') + "\r\n"s;
  const Input in = parse_multipart(file_part("files", "a.jpg", "image/jpeg", jpeg) +
                                   text_part("content", "two photos") +
                                   file_part("files", "b.png", "image/png", png) + closing());
  ASSERT_EQ(in.files.size(), 2u);
  EXPECT_EQ(in.files[0].field, "files");
  EXPECT_EQ(in.files[0].filename, "a.jpg");
  EXPECT_EQ(in.files[0].content_type, "image/jpeg");
  EXPECT_EQ(in.files[0].data, jpeg);
  EXPECT_EQ(in.files[0].data.size(), jpeg.size());
  EXPECT_EQ(in.files[1].filename, "b.png");
  EXPECT_EQ(in.files[1].data, png);
  EXPECT_EQ(in.get("content")->text, "two photos");
  EXPECT_EQ(in.get("files"), nullptr);
  EXPECT_TRUE(in.has("files"));
  EXPECT_EQ(in.files_named("files").size(), 2u);
}

TEST(MultipartBodyTest, EmptyFileInputIsIgnored) {
  const Input in = parse_multipart(file_part("files", "", "application/octet-stream", "") +
                                   text_part("content", "x") + closing());
  EXPECT_TRUE(in.files.empty());
  EXPECT_FALSE(in.has("files"));
  EXPECT_EQ(in.get("content")->text, "x");
}

TEST(MultipartBodyTest, EmptyFileWithANameIsKept) {
  const Input in = parse_multipart(file_part("files", "empty.txt", "text/plain", "") + closing());
  ASSERT_EQ(in.files.size(), 1u);
  EXPECT_EQ(in.files[0].data, "");
}

TEST(MultipartBodyTest, PreambleEpilogueAndHeaderVariants) {
  const std::string body =
      "This is the preamble.\r\n"s + "--" + std::string(kBoundary) + "  \r\n" +
      "content-disposition: FORM-DATA; filename=\"x;y.txt\"; name=f\r\n\r\n" + "data\r\n" + "--" +
      std::string(kBoundary) + "\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name=\"t\"\r\n"
      "\r\n" +
      "text\r\n" + "--" + std::string(kBoundary) + "\r\n" +
      "Content-Disposition: form-data; name=\"utf\"; filename*=UTF-8''na%C3%AFve.txt\r\n\r\n" +
      "u\r\n" + closing() + "epilogue --" + std::string(kBoundary) + "\r\ngarbage";
  const Input in = parse_multipart(body);
  ASSERT_EQ(in.files.size(), 2u);
  EXPECT_EQ(in.files[0].field, "f");
  EXPECT_EQ(in.files[0].filename, "x;y.txt");
  EXPECT_EQ(in.files[0].content_type, "");
  EXPECT_EQ(in.files[0].data, "data");
  EXPECT_EQ(in.files[1].filename, "na\xC3\xAFve.txt");
  EXPECT_EQ(in.get("t")->text, "text");
}

TEST(MultipartBodyTest, QuotedBoundaryAndCaseInsensitiveType) {
  const Input in = parse_body(request_with_body(
      "Multipart/Form-Data; charset=utf-8; boundary=\"" + std::string(kBoundary) + "\"",
      text_part("a", "1") + closing()));
  EXPECT_EQ(in.get("a")->text, "1");
}

TEST(MultipartBodyTest, PartsWithoutNameAreSkipped) {
  const std::string body =
      "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" + "--" +
      std::string(kBoundary) + "\r\n\r\nno headers\r\n" + text_part("a", "1") + closing();
  const Input in = parse_multipart(body);
  ASSERT_EQ(in.fields.size(), 1u);
  EXPECT_EQ(in.get("a")->text, "1");
}

TEST(MultipartBodyTest, MissingOrInvalidBoundary) {
  EXPECT_EQ(malformed("multipart/form-data", text_part("a", "1") + closing()),
            "Multipart form parse error - Invalid boundary in multipart: None");
  EXPECT_EQ(malformed("multipart/form-data; charset=utf-8", "x"),
            "Multipart form parse error - Invalid boundary in multipart: None");
  EXPECT_EQ(malformed("multipart/form-data; boundary=", "x"),
            "Multipart form parse error - Invalid boundary in multipart: ");
  EXPECT_EQ(malformed("multipart/form-data; boundary=\"a\x01\"", "x"),
            "Multipart form parse error - Invalid boundary in multipart: a\x01");
}

TEST(MultipartBodyTest, TruncatedBodies) {
  const std::string full =
      text_part("a", "1") + file_part("f", "x.bin", "image/png", "1234") + closing();
  // Every strict prefix that cuts into the parts is an error, never a crash or a partial result.
  const std::size_t last_part_end = full.size() - closing().size() + 2 + kBoundary.size();
  for (std::size_t n = 1; n < last_part_end; ++n) {
    const std::string error =
        malformed("multipart/form-data; boundary=" + std::string(kBoundary), full.substr(0, n));
    EXPECT_EQ(error.rfind("Multipart form parse error - ", 0), 0u) << n << ": " << error;
  }
  EXPECT_NE(malformed("multipart/form-data; boundary=" + std::string(kBoundary), "no boundary"),
            "<no error>");
  // Headers never terminated by an empty line.
  EXPECT_NE(malformed("multipart/form-data; boundary=" + std::string(kBoundary),
                      "--" + std::string(kBoundary) +
                          "\r\nContent-Disposition: form-data; name=\"a\"\r\n" + closing()),
            "<no error>");
  // Junk right after a boundary.
  EXPECT_NE(malformed("multipart/form-data; boundary=" + std::string(kBoundary),
                      "--" + std::string(kBoundary) + "junk\r\n\r\n" + closing()),
            "<no error>");
}

TEST(MultipartBodyTest, ClosingDelimiterWithoutFinalCrlfIsFine) {
  std::string body = text_part("a", "1") + closing();
  body.resize(body.size() - 2);
  EXPECT_EQ(parse_multipart(body).get("a")->text, "1");
}

TEST(MultipartBodyTest, TooManyParts) {
  BodyLimits limits;
  limits.max_multipart_parts = 3;
  std::string three, four;
  for (int i = 0; i < 3; ++i) three += text_part("p", std::to_string(i));
  four = three + text_part("p", "3");
  EXPECT_EQ(parse_multipart(three + closing(), limits).fields.size(), 3u);
  EXPECT_EQ(malformed("multipart/form-data; boundary=" + std::string(kBoundary), four + closing(),
                      limits),
            "Multipart form parse error - too many parts");
}

TEST(MultipartBodyTest, LargeFileIsLinear) {
  // 8 MiB of CR/LF/dash noise must parse quickly and exactly.
  std::string noise;
  noise.reserve(8 << 20);
  while (noise.size() < (8u << 20)) noise += "\r\n--\r\n-\r\r\n\n--";
  const Input in =
      parse_multipart(file_part("f", "n.bin", "application/octet-stream", noise) + closing());
  ASSERT_EQ(in.files.size(), 1u);
  EXPECT_EQ(in.files[0].data, noise);
}

}  // namespace
}  // namespace chirp::http
