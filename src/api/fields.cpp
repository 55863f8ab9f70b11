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

std::optional<std::int64_t> optional_int(const http::Input& input, std::string_view name,
                                         FieldErrors& errors) {
  const http::FieldValue* value = input.get(name);
  if (!value) return std::nullopt;
  std::optional<std::int64_t> parsed;
  if (value->kind == http::FieldKind::Number || value->kind == http::FieldKind::Text) {
    parsed = parse_int64(value->kind == http::FieldKind::Text ? chirp::trim(value->text) : value->text);
  }
  if (!parsed) add_error(errors, name, "A valid integer is required.");
  return parsed;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "True" || text == "1") return true;
  if (text == "false" || text == "False" || text == "0") return false;
  return std::nullopt;
}

std::optional<bool> optional_bool(const http::Input& input, std::string_view name,
                                  FieldErrors& errors) {
  const http::FieldValue* value = input.get(name);
  if (!value) return std::nullopt;
  std::optional<bool> parsed;
  if (value->kind == http::FieldKind::Bool) parsed = value->boolean;
  if (value->kind == http::FieldKind::Text || value->kind == http::FieldKind::Number) {
    parsed = parse_bool(value->text);
  }
  if (!parsed) add_error(errors, name, "Must be a valid boolean.");
  return parsed;
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
