#pragma once
// A request body (JSON object, urlencoded form or multipart form) parsed into one uniform shape, so
// handlers validate fields the same way whatever the client sent (SPEC §1.2).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace chirp::http {

enum class FieldKind { Text, Number, Bool, Null, Array, Object };

struct FieldValue {
  FieldKind kind = FieldKind::Text;
  // Text: the string; Number: its JSON spelling ("12", "1.5"); Bool: "true"/"false"; else empty.
  std::string text;
  bool boolean = false;
  // False when a form/multipart text value is not valid UTF-8 (JSON bodies are rejected whole).
  bool valid_utf8 = true;
  std::vector<FieldValue> items;  // Array elements
};

struct UploadedFile {
  std::string field;
  std::string filename;
  std::string content_type;
  std::string data;
};

struct Input {
  std::vector<std::pair<std::string, FieldValue>> fields;  // in body order; repeats kept
  std::vector<UploadedFile> files;

  // Last value of a field (Django QueryDict semantics), or nullptr.
  const FieldValue* get(std::string_view name) const;
  std::vector<const UploadedFile*> files_named(std::string_view name) const;
  // A field or a file with this name was sent.
  bool has(std::string_view name) const;
};

struct BodyLimits {
  std::size_t max_multipart_parts = 64;
  std::size_t max_json_depth = 32;
};

// Parses `req.body` by its Content-Type. An empty body with no Content-Type is an empty Input.
// Throws JsonParseError (malformed JSON, not an object, invalid UTF-8 in JSON, too deep),
// UnsupportedMediaType, or MalformedRequest for a broken multipart body or too many parts.
Input parse_body(const Request& req, const BodyLimits& limits = {});

}  // namespace chirp::http
