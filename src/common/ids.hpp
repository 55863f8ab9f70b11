#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace chirp {

// A path id: decimal digits only, positive, fits in int64 (SPEC §1.1). nullopt otherwise.
std::optional<std::int64_t> parse_positive_id(std::string_view s);

// An integer as accepted in a query or body field: optional sign then digits, fits in int64.
std::optional<std::int64_t> parse_int64(std::string_view s);

}  // namespace chirp
