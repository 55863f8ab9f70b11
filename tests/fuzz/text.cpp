// UTF-8 validation (SPEC §1.2), code-point counting and trimming, checked against a plain
// reference decoder.
#include "common/text.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.hpp"

namespace {

// Number of code points when `s` is well-formed UTF-8 (Unicode 3.9, Table 3-7), else nullopt.
std::optional<std::size_t> reference_code_points(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t c = 0;
    if (b0 < 0x80) {
      len = 1;
      c = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      c = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      c = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      c = b0 & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < kMinForLength[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      return std::nullopt;
    }
    i += len;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chirp;
  const std::string_view s = fuzz::as_text(data, size);
  const auto reference = reference_code_points(s);
  const bool valid = is_valid_utf8(s);
  FUZZ_CHECK(valid == reference.has_value());
  if (valid) FUZZ_CHECK(code_point_length(s) == *reference);

  const std::string trimmed = trim(s);
  FUZZ_CHECK(s.find(trimmed) != std::string_view::npos);
  FUZZ_CHECK(trim(trimmed) == trimmed);
  if (valid) FUZZ_CHECK(is_valid_utf8(trimmed));
  FUZZ_CHECK(to_lower_ascii(s).size() == s.size());
  return 0;
}
