// JSON bodies: chirp's SAX parser into fields (http/json_body.cpp), checked against Boost.JSON's
// DOM parser with the same options, then the field readers handlers use to build their requests.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "common/errors.hpp"
#include "fuzz_support.hpp"
#include "http/body.hpp"

namespace {

using namespace chirp;
namespace json = boost::json;

http::FieldKind kind_of(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return http::FieldKind::Text;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return http::FieldKind::Number;
    case json::kind::bool_:
      return http::FieldKind::Bool;
    case json::kind::null:
      return http::FieldKind::Null;
    case json::kind::array:
      return http::FieldKind::Array;
    case json::kind::object:
      return http::FieldKind::Object;
  }
  return http::FieldKind::Null;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  http::Request request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::string(text);
  const http::BodyLimits limits;

  json::parse_options options;
  options.max_depth = limits.max_json_depth;
  json::error_code ec;
  const json::value dom = json::parse(text, ec, {}, options);

  http::Input input;
  try {
    input = http::parse_body(request, limits);
  } catch (const JsonParseError&) {
    // Boost.JSON does not check UTF-8; chirp refuses invalid UTF-8 and top-level non-objects too.
    FUZZ_CHECK(text.empty() == false);
    FUZZ_CHECK(ec || !dom.is_object() || !is_valid_utf8(text));
    return 0;
  }
  if (text.empty()) return 0;  // no body: no fields
  FUZZ_CHECK(!ec && dom.is_object());
  // Same members, in order, with the DOM's value kinds (a repeated key: the DOM keeps the last).
  const json::object& object = dom.as_object();
  std::map<std::string, http::FieldKind> last_kind;
  for (const auto& [name, value] : input.fields) last_kind[name] = value.kind;
  FUZZ_CHECK(last_kind.size() == object.size());
  for (const auto& member : object) {
    const auto it = last_kind.find(std::string(member.key()));
    FUZZ_CHECK(it != last_kind.end());
    FUZZ_CHECK(it->second == kind_of(member.value()));
    const http::FieldValue* field = input.get(it->first);
    FUZZ_CHECK(field != nullptr && field->kind == it->second);
    if (field->kind == http::FieldKind::Text) {
      FUZZ_CHECK(field->text == std::string_view(member.value().as_string()));
    }
    if (field->kind == http::FieldKind::Array) {
      FUZZ_CHECK(field->items.size() == member.value().as_array().size());
    }
  }
  fuzz::read_fields_like_handlers(input);
  return 0;
}
