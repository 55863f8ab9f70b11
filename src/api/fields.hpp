#pragma once
// Reading typed fields from a body or query string with DRF's messages (SPEC §1.2, §1.4).
// Each reader appends its field's messages to `errors` and returns nullopt when the value is
// absent or unusable, so a handler can report every bad field at once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/errors.hpp"
#include "http/body.hpp"
#include "http/query.hpp"

namespace chirp::api {

enum class Trim { Yes, No };

// A string field: JSON numbers become their text; booleans, arrays and objects are
// "Not a valid string."; null is "This field may not be null."; invalid UTF-8 (forms) is an error.
std::optional<std::string> optional_text(const http::Input& input, std::string_view name,
                                         FieldErrors& errors, Trim trim = Trim::Yes);
// As optional_text, and "This field is required." when absent.
std::optional<std::string> required_text(const http::Input& input, std::string_view name,
                                         FieldErrors& errors, Trim trim = Trim::Yes);

// An integer field: a JSON integer or a string of digits; else "A valid integer is required.".
std::optional<std::int64_t> optional_int(const http::Input& input, std::string_view name,
                                         FieldErrors& errors);

// A boolean (SPEC §1.2): true/false, "true"/"false", "True"/"False", "1"/"0"; else
// "Must be a valid boolean.".
std::optional<bool> parse_bool(std::string_view text);
std::optional<bool> optional_bool(const http::Input& input, std::string_view name,
                                  FieldErrors& errors);

// A positive integer query parameter within [1, max]; `fallback` when absent.
std::optional<std::int64_t> positive_query_int(const http::QueryParams& query,
                                               std::string_view name, std::int64_t fallback,
                                               std::int64_t max, FieldErrors& errors);

void add_error(FieldErrors& errors, std::string_view field, std::string message);
void throw_if_any(FieldErrors& errors);

}  // namespace chirp::api
