// Cursor and timestamp parsing (SPEC §1.5) and the integer parsers behind ids and integer fields.
// Invariants: a parsed cursor formats and parses back to itself; integers round-trip through
// their decimal text.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/ids.hpp"
#include "common/time.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chirp;
  const std::string_view text = fuzz::as_text(data, size);

  if (const auto cursor = parse_cursor(text)) {
    const std::string formatted = format_iso8601(*cursor);
    // Years 0000..9999 print as "YYYY-MM-DDTHH:MM:SS.ffffffZ", which the cursor syntax accepts.
    if (formatted.size() == 27) FUZZ_CHECK(parse_cursor(formatted) == *cursor);
    FUZZ_CHECK(parse_cursor(std::to_string(*cursor)) == *cursor);
  }
  if (const auto id = parse_positive_id(text)) {
    FUZZ_CHECK(*id > 0);
    FUZZ_CHECK(parse_positive_id(std::to_string(*id)) == *id);
  }
  if (const auto value = parse_int64(text)) {
    FUZZ_CHECK(parse_int64(std::to_string(*value)) == *value);
  }
  // Any instant formats; those in years 0000..9999 parse back.
  if (size >= sizeof(std::int64_t)) {
    Micros instant;
    std::memcpy(&instant, data, sizeof instant);
    const std::string formatted = format_iso8601(instant);
    FUZZ_CHECK(formatted.size() >= 27 && formatted.back() == 'Z');
    if (formatted.size() == 27 && formatted.front() != '-') {
      FUZZ_CHECK(parse_cursor(formatted) == instant);
    }
  }
  return 0;
}
