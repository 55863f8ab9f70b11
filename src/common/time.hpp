#pragma once
// Time is stored and passed around as integer microseconds since the Unix epoch (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chirp {

using Micros = std::int64_t;

Micros now_micros();

// "2026-11-27T14:46:50.123456Z": always six fractional digits and Z (SPEC §1.5).
std::string format_iso8601(Micros t);

// Cursor syntax of SPEC §1.5: YYYY-MM-DDTHH:MM:SS[.f{0,6}](Z|±HH:MM), or an integer count of
// microseconds since the epoch. nullopt for anything else.
std::optional<Micros> parse_cursor(std::string_view s);

}  // namespace chirp
