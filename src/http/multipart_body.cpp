// multipart/form-data (RFC 7578 over RFC 2046). The body is scanned once: each part's end is found
// with a Boyer-Moore-Horspool search for "\r\n--<boundary>", and part contents are copied byte for
// byte (CR, LF and NUL included).
#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>

#include "common/errors.hpp"
#include "common/text.hpp"
#include "http/body_parsers.hpp"
#include "http/content_type.hpp"
#include "http/message.hpp"
#include "http/query.hpp"

namespace chirp::http {
namespace {

constexpr std::string_view kErrorPrefix = "Multipart form parse error - ";

[[noreturn]] void fail(std::string_view reason) {
  throw MalformedRequest(std::string(kErrorPrefix) + std::string(reason));
}

// Django's rule: 1 to 201 printable ASCII characters, the last one not a space.
bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 201 || b.back() == ' ') return false;
  return std::all_of(b.begin(), b.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

struct PartHeaders {
  bool form_data = false;
  std::optional<std::string> name;
  std::optional<std::string> filename;
  std::string content_type;
};

// RFC 5987 ext-value: charset'language'percent-encoded.
std::optional<std::string> decode_ext_value(std::string_view v) {
  const auto first = v.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return percent_decode(v.substr(second + 1));
}

PartHeaders parse_part_headers(std::string_view block) {
  PartHeaders headers;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) fail("malformed part header");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = line.substr(colon + 1);
    if (iequals(name, "Content-Disposition")) {
      const MediaType disposition = parse_media_type(value);
      headers.form_data = disposition.type == "form-data";
      headers.name = disposition.param("name");
      headers.filename = disposition.param("filename");
      if (const auto extended = disposition.param("filename*")) {
        if (auto decoded = decode_ext_value(*extended)) headers.filename = std::move(decoded);
      }
    } else if (iequals(name, "Content-Type")) {
      std::string_view type = value;
      while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
      while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
      headers.content_type = std::string(type);
    }
  }
  return headers;
}

void add_part(Input& input, const PartHeaders& headers, std::string_view content) {
  if (!headers.form_data || !headers.name) return;
  if (headers.filename) {
    // A file input left empty: browsers send filename="" and no data (Django ignores it too).
    if (headers.filename->empty() && content.empty()) return;
    input.files.push_back(
        {*headers.name, *headers.filename, headers.content_type, std::string(content)});
    return;
  }
  FieldValue field;
  field.text = std::string(content);
  field.valid_utf8 = is_valid_utf8(content);
  input.fields.emplace_back(*headers.name, std::move(field));
}

}  // namespace

Input parse_multipart_body(std::string_view body, std::string_view boundary,
                           const BodyLimits& limits) {
  if (!valid_boundary(boundary)) {
    fail("Invalid boundary in multipart: " + std::string(boundary));
  }
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const std::string_view dash_boundary = std::string_view(delimiter).substr(2);
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());
  auto find_delimiter = [&](std::size_t from) {
    const auto it =
        std::search(body.begin() + static_cast<std::ptrdiff_t>(from), body.end(), searcher);
    return it == body.end() ? std::string_view::npos : static_cast<std::size_t>(it - body.begin());
  };

  // The first boundary opens the body or follows a CRLF ending the (ignored) preamble.
  std::size_t pos = 0;
  if (body.substr(0, dash_boundary.size()) == dash_boundary) {
    pos = dash_boundary.size();
  } else {
    const std::size_t first = find_delimiter(0);
    if (first == std::string_view::npos) fail("no opening boundary");
    pos = first + delimiter.size();
  }

  Input input;
  std::size_t parts = 0;
  while (true) {
    // After a boundary: "--" closes the body (the epilogue is ignored), else optional transport
    // padding and CRLF open the next part.
    if (body.substr(pos, 2) == "--") break;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (pos >= body.size()) fail("truncated body");
    if (body.substr(pos, 2) != "\r\n") fail("malformed boundary line");
    pos += 2;
    if (++parts > limits.max_multipart_parts) fail("too many parts");

    const std::size_t end = find_delimiter(pos);
    if (end == std::string_view::npos) fail("truncated body");
    std::string_view headers_block;
    std::size_t content_begin = 0;
    if (end == pos) {
      content_begin = end;  // an entirely empty part: nothing to add
    } else if (body.substr(pos, 2) == "\r\n") {
      content_begin = pos + 2;  // a part without headers
    } else {
      const std::size_t blank = body.substr(pos, end - pos).find("\r\n\r\n");
      if (blank == std::string_view::npos) fail("part headers are not terminated");
      headers_block = body.substr(pos, blank);
      content_begin = pos + blank + 4;
    }
    if (content_begin > end) fail("part headers are not terminated");
    add_part(input, parse_part_headers(headers_block),
             body.substr(content_begin, end - content_begin));
    pos = end + delimiter.size();
  }
  return input;
}

}  // namespace chirp::http
