#pragma once
// The three body parsers behind parse_body (one file each). Internal to src/http/.
#include <string_view>

#include "http/body.hpp"

namespace chirp::http {

// Throws JsonParseError.
Input parse_json_body(std::string_view body, const BodyLimits& limits);
Input parse_form_body(std::string_view body);
// Throws MalformedRequest.
Input parse_multipart_body(std::string_view body, std::string_view boundary,
                           const BodyLimits& limits);

}  // namespace chirp::http
