#include "common/text.hpp"

#include <cstdint>
#include <cstring>

namespace chirp {
namespace {

constexpr bool is_continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

// Single-byte whitespace: \t \n \v \f \r, U+001C..U+001F and space.
constexpr bool is_ascii_space(unsigned char b) {
  return (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20);
}

// The code points Python's str.isspace() (and so str.strip()) treats as whitespace.
constexpr bool is_unicode_space(char32_t c) {
  if (c < 0x80) return is_ascii_space(static_cast<unsigned char>(c));
  switch (c) {
    case 0x0085:
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// Decodes the code point starting at s[i] of valid UTF-8; stores its byte length in `len`.
char32_t decode_at(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    len = 1;
    return b0;
  }
  char32_t c;
  if (b0 < 0xE0) {
    len = 2;
    c = b0 & 0x1F;
  } else if (b0 < 0xF0) {
    len = 3;
    c = b0 & 0x0F;
  } else {
    len = 4;
    c = b0 & 0x07;
  }
  for (std::size_t k = 1; k < len; ++k)
    c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return c;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p < end) {
    // Fast path: skip eight ASCII bytes at a time.
    if (end - p >= 8) {
      std::uint64_t chunk;
      std::memcpy(&chunk, p, sizeof chunk);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char b0 = *p;
    if (b0 < 0x80) {
      ++p;
      continue;
    }
    // The allowed range of the second byte encodes the overlong, surrogate and > U+10FFFF rules
    // (Unicode Table 3-7); later bytes are plain continuation bytes.
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0) lo = 0xA0;  // overlong
      if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0) lo = 0x90;  // overlong
      if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;  // stray continuation, overlong C0/C1, or F5..FF
    }
    if (static_cast<std::size_t>(end - p) < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if (!is_continuation(p[k])) return false;
    }
    p += len;
  }
  return true;
}

std::size_t code_point_length(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s) n += !is_continuation(static_cast<unsigned char>(ch));
  return n;
}

std::string trim(std::string_view s) {
  if (!is_valid_utf8(s)) {
    // Code points cannot be trusted; strip only single-byte whitespace.
    std::size_t b = 0, e = s.size();
    while (b < e && is_ascii_space(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && is_ascii_space(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
  }
  std::size_t b = 0, e = s.size();
  while (b < e) {
    std::size_t len;
    if (!is_unicode_space(decode_at(s, b, len))) break;
    b += len;
  }
  while (e > b) {
    std::size_t start = e - 1;
    while (start > b && is_continuation(static_cast<unsigned char>(s[start]))) --start;
    std::size_t len;
    if (!is_unicode_space(decode_at(s, start, len))) break;
    e = start;
  }
  return std::string(s.substr(b, e - b));
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

}  // namespace chirp
