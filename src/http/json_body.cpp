// JSON bodies are parsed with Boost.JSON's SAX-style basic_parser straight into FieldValues: no DOM
// is built, and numbers keep the spelling the client sent ("12", "1.50", "1e3").
#include <boost/json/basic_parser_impl.hpp>
#include <cctype>
#include <cstddef>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "common/text.hpp"
#include "http/body_parsers.hpp"

namespace chirp::http {
namespace {

namespace json = boost::json;

class FieldBuilder {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  explicit FieldBuilder(Input& out) : out_(out) {}

  bool top_level_is_object() const { return top_level_is_object_; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) {
    if (frames_.empty()) top_level_is_object_ = true;
    // Members of nested objects are not kept: handlers only see that the value is an object.
    frames_.push_back({false, frames_.empty(), {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    frames_.pop_back();
    if (!frames_.empty()) emit(FieldValue{FieldKind::Object, {}, false, true, {}});
    return true;
  }
  bool on_array_begin(json::error_code&) {
    const bool keep = !frames_.empty() && frames_.back().keep;
    frames_.push_back({true, keep, {FieldKind::Array, {}, false, true, {}}, {}});
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    FieldValue array = std::move(frames_.back().array);
    frames_.pop_back();
    emit(std::move(array));
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    frames_.back().key = std::move(text_);
    text_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    emit_scalar(FieldKind::Text);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code&) { return on_number(s); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) { return on_number(s); }
  bool on_double(double, json::string_view s, json::error_code&) { return on_number(s); }
  bool on_bool(bool b, json::error_code&) {
    text_ = b ? "true" : "false";
    emit(FieldValue{FieldKind::Bool, std::move(text_), b, true, {}});
    text_.clear();
    return true;
  }
  bool on_null(json::error_code&) {
    emit(FieldValue{FieldKind::Null, {}, false, true, {}});
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct Frame {
    bool is_array;
    bool keep;         // values inside are stored (false inside nested objects)
    FieldValue array;  // is_array: the items so far
    std::string key;   // !is_array: the key of the value being parsed
  };

  bool on_number(json::string_view s) {
    text_.append(s.data(), s.size());
    emit_scalar(FieldKind::Number);
    return true;
  }
  void emit_scalar(FieldKind kind) {
    emit(FieldValue{kind, std::move(text_), false, true, {}});
    text_.clear();
  }
  void emit(FieldValue value) {
    if (frames_.empty()) return;  // a top-level scalar: rejected after parsing
    Frame& frame = frames_.back();
    if (!frame.keep) return;
    if (frame.is_array) {
      frame.array.items.push_back(std::move(value));
    } else {
      out_.fields.emplace_back(std::move(frame.key), std::move(value));
    }
  }

  Input& out_;
  std::vector<Frame> frames_;
  std::string text_;  // the key, string or number being assembled from parts
  bool top_level_is_object_ = false;
};

// Short reasons in the spirit of Python's json module, which DRF's messages come from.
std::string reason_for(const json::error_code& ec) {
  if (ec == json::error::incomplete) return "Unexpected end of input";
  if (ec == json::error::extra_data) return "Extra data";
  if (ec == json::error::too_deep) return "Nesting too deep";
  if (ec == json::error::syntax) return "Invalid syntax";
  std::string message = ec.message();
  if (!message.empty()) message[0] = static_cast<char>(std::toupper(message[0]));
  return message;
}

}  // namespace

Input parse_json_body(std::string_view body, const BodyLimits& limits) {
  if (!is_valid_utf8(body)) throw JsonParseError("Invalid UTF-8 in request body");
  json::parse_options options;
  options.max_depth = limits.max_json_depth;
  Input input;
  json::basic_parser<FieldBuilder> parser(options, input);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && used != body.size()) ec = json::error::extra_data;
  if (ec) throw JsonParseError(reason_for(ec) + " at char " + std::to_string(used));
  if (!parser.handler().top_level_is_object()) throw JsonParseError("JSON body must be an object");
  return input;
}

}  // namespace chirp::http
