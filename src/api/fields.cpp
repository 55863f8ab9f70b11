#include "api/fields.hpp"

#include "common/ids.hpp"
#include "common/text.hpp"

namespace chirp::api {

void add_error(FieldErrors& errors, std::string_view field, std::string message) {
  for (auto& [name, messages] : errors) {
    if (name == field) {
      messages.push_back(std::move(message));
      return;
    }
  }
  errors.push_back({std::string(field), {std::move(message)}});
}

void throw_if_any(FieldErrors& errors) {
  if (!errors.empty()) throw ValidationError(std::move(errors));
}

std::optional<std::string> optional_text(const http::Input& input, std::string_view name,
                                         FieldErrors& errors, Trim trim) {
  const http::FieldValue* value = input.get(name);
  if (!value) return std::nullopt;
  switch (value->kind) {
    case http::FieldKind::Text:
      if (!value->valid_utf8) {
        add_error(errors, name, "Not a valid string.");
        return std::nullopt;
      }
      return trim == Trim::Yes ? chirp::trim(value->text) : value->text;
    case http::FieldKind::Number:
      return value->text;
    case http::FieldKind::Null:
      add_error(errors, name, "This field may not be null.");
      return std::nullopt;
    default:
      add_error(errors, name, "Not a valid string.");
      return std::nullopt;
  }
}

std::optional<std::string> required_text(const http::Input& input, std::string_view name,
                                         FieldErrors& errors, Trim trim) {
  if (!input.get(name)) {
    add_error(errors, name, "This field is required.");
    return std::nullopt;
  }
  return optional_text(input, name, errors, trim);
}

std::optional<std::int64_t> positive_query_int(const http::QueryParams& query,
                                               std::string_view name, std::int64_t fallback,
                                               std::int64_t max, FieldErrors& errors) {
  auto raw = query.get(name);
  if (!raw) return fallback;
  auto value = parse_int64(*raw);
  if (!value) {
    add_error(errors, name, "A valid integer is required.");
    return std::nullopt;
  }
  if (*value < 1) {
    add_error(errors, name, "Ensure this value is greater than or equal to 1.");
    return std::nullopt;
  }
  if (*value > max) {
    add_error(errors, name, "Ensure this value is less than or equal to " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return value;
}

}  // namespace chirp::api
