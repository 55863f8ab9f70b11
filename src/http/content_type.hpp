#pragma once
// Content-Type parsing: "multipart/form-data; boundary=\"abc\"" -> type + parameters.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chirp::http {

struct MediaType {
  std::string type;  // "type/subtype", lower case, without parameters
  std::vector<std::pair<std::string, std::string>> params;  // names lower case, values unquoted

  std::optional<std::string> param(std::string_view name) const;
};

MediaType parse_media_type(std::string_view content_type);

}  // namespace chirp::http
