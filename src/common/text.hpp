#pragma once
// Text rules of SPEC §1.2: UTF-8 validity, code-point lengths, trimming.
#include <cstddef>
#include <string>
#include <string_view>

namespace chirp {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s` ("héllo wörld" is 11).
std::size_t code_point_length(std::string_view s);

// Removes leading/trailing whitespace (ASCII whitespace and the Unicode spaces Python's str.strip removes).
std::string trim(std::string_view s);

std::string to_lower_ascii(std::string_view s);

}  // namespace chirp
