#include "http/content_type.hpp"

#include <cstddef>

#include "common/text.hpp"

namespace chirp::http {
namespace {

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads a quoted-string starting at s[pos] == '"'; advances pos past the closing quote.
std::string read_quoted(std::string_view s, std::size_t& pos) {
  std::string out;
  for (++pos; pos < s.size(); ++pos) {
    if (s[pos] == '"') {
      ++pos;
      break;
    }
    if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
    out.push_back(s[pos]);
  }
  return out;
}

}  // namespace

std::optional<std::string> MediaType::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

MediaType parse_media_type(std::string_view content_type) {
  MediaType result;
  std::size_t pos = content_type.find(';');
  result.type = to_lower_ascii(trim_ows(content_type.substr(0, pos)));
  while (pos != std::string_view::npos && pos < content_type.size()) {
    ++pos;  // past ';'
    const std::size_t eq = content_type.find_first_of("=;", pos);
    if (eq == std::string_view::npos || content_type[eq] == ';') {
      pos = eq;  // a parameter without a value: skip it
      continue;
    }
    std::string name = to_lower_ascii(trim_ows(content_type.substr(pos, eq - pos)));
    pos = eq + 1;
    while (pos < content_type.size() && (content_type[pos] == ' ' || content_type[pos] == '\t')) {
      ++pos;
    }
    std::string value;
    if (pos < content_type.size() && content_type[pos] == '"') {
      value = read_quoted(content_type, pos);
      pos = content_type.find(';', pos);
    } else {
      const std::size_t end = content_type.find(';', pos);
      value = std::string(trim_ows(content_type.substr(pos, end - pos)));
      pos = end;
    }
    if (!name.empty()) result.params.emplace_back(std::move(name), std::move(value));
  }
  return result;
}

}  // namespace chirp::http
