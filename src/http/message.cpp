#include "http/message.hpp"

#include <cstddef>

namespace chirp::http {
namespace {

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Python's http.cookies unquoting, which Django applies to every cookie value: surrounding double
// quotes are removed and backslash escapes (\" \\ and octal \ooo) resolved.
std::string unquote_cookie_value(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  v = v.substr(1, v.size() - 2);
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 == v.size()) {
      out.push_back(v[i]);
      continue;
    }
    auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
    if (i + 3 < v.size() && is_octal(v[i + 1]) && is_octal(v[i + 2]) && is_octal(v[i + 3])) {
      out.push_back(
          static_cast<char>(((v[i + 1] - '0') << 6) | ((v[i + 2] - '0') << 3) | (v[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(v[i + 1]);
      ++i;
    }
  }
  return out;
}

std::optional<std::string_view> find_header(const std::vector<Header>& headers,
                                            std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  return find_header(headers, name);
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  // Like Django's parse_cookie: every Cookie header, `;`-separated `name=value` pairs, the last
  // occurrence of a name wins; chunks without '=' are ignored.
  std::optional<std::string> found;
  for (const auto& h : headers) {
    if (!iequals(h.name, "Cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view chunk = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const auto eq = chunk.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim_ows(chunk.substr(0, eq)) != name) continue;
      found = unquote_cookie_value(trim_ows(chunk.substr(eq + 1)));
    }
  }
  return found;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return find_header(headers, name);
}

// One policy for every answer: a JSON or image answer opened as a page must not run or embed
// anything either. The web client has no inline script or style and loads nothing from elsewhere;
// avatars and photos are served by this origin (/media/), and the composer and settings page
// preview a chosen file as a blob: URL. Referrer-Policy same-origin: no other site learns which
// page linked to it, while a same-origin Referer stays available (an HTTPS Origin/Referer CSRF
// check, as Django's, needs it).
const std::vector<Header>& security_headers() {
  static const std::vector<Header> headers = {
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "same-origin"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
  };
  return headers;
}

void add_default_headers(Response& response, const std::vector<Header>& defaults) {
  for (const auto& header : defaults) {
    if (!response.header(header.name)) response.headers.push_back(header);
  }
}

}  // namespace chirp::http
