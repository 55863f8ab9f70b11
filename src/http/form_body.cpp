#include "common/text.hpp"
#include "http/body_parsers.hpp"
#include "http/query.hpp"

namespace chirp::http {

Input parse_form_body(std::string_view body) {
  const QueryParams params(body);
  Input input;
  input.fields.reserve(params.all().size());
  for (const auto& [name, value] : params.all()) {
    FieldValue field;
    field.text = value;
    field.valid_utf8 = is_valid_utf8(value);
    input.fields.emplace_back(name, std::move(field));
  }
  return input;
}

}  // namespace chirp::http
