#include "http/body.hpp"

#include "common/errors.hpp"
#include "http/body_parsers.hpp"
#include "http/content_type.hpp"

namespace chirp::http {

const FieldValue* Input::get(std::string_view name) const {
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
    if (it->first == name) return &it->second;
  }
  return nullptr;
}

std::vector<const UploadedFile*> Input::files_named(std::string_view name) const {
  std::vector<const UploadedFile*> result;
  for (const auto& file : files) {
    if (file.field == name) result.push_back(&file);
  }
  return result;
}

bool Input::has(std::string_view name) const {
  if (get(name) != nullptr) return true;
  for (const auto& file : files) {
    if (file.field == name) return true;
  }
  return false;
}

Input parse_body(const Request& req, const BodyLimits& limits) {
  // Like DRF, an empty body is no data whatever its Content-Type says.
  if (req.body.empty()) return {};
  const auto content_type = req.header("Content-Type");
  if (!content_type) throw UnsupportedMediaType("");
  const MediaType media = parse_media_type(*content_type);
  if (media.type == "application/json") return parse_json_body(req.body, limits);
  if (media.type == "application/x-www-form-urlencoded") return parse_form_body(req.body);
  if (media.type == "multipart/form-data") {
    const auto boundary = media.param("boundary");
    if (!boundary) {
      throw MalformedRequest("Multipart form parse error - Invalid boundary in multipart: None");
    }
    return parse_multipart_body(req.body, *boundary, limits);
  }
  throw UnsupportedMediaType(std::string(*content_type));
}

}  // namespace chirp::http
