#pragma once
// How the server reads a request with Beast's parser: its limits and the conversion of the parsed
// message to a plain Request. Internal to src/http/: shared by server.cpp and the HTTP fuzz target
// (tests/fuzz/), so the fuzzer parses exactly as the server does. Includes Beast: keep it out of
// every other file.
#include <algorithm>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "http/query.hpp"
#include "http/server.hpp"

namespace chirp::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

inline constexpr std::size_t kMaxRequestIdLength = 128;

// Limits for reading the header. The real body limit depends on the Content-Type; until the header
// is read only the largest applies (Beast checks Content-Length against it while parsing the
// header).
inline void set_header_limits(RequestParser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(std::max(options.max_body_bytes, options.max_multipart_body_bytes));
}

// Whether a parsed header is within the server's limits (else the answer is 431). Beast's
// header_limit bounds how far one parse looks ahead of what it has consumed, not the whole header:
// a header that arrives in pieces can pass it at up to about twice the limit (memory stays bounded
// by that). So the whole header's size, `header_bytes` (what the parser consumed for it), is
// checked here, and the number of fields: Beast has stored them already, within those bytes, and
// counting them allocates nothing.
inline bool header_within_limits(const RequestParser& parser, std::size_t header_bytes,
                                 const ServerOptions& options) {
  if (header_bytes > options.max_header_bytes) return false;
  std::size_t count = 0;
  for (auto it = parser.get().begin(); it != parser.get().end(); ++it) {
    if (++count > options.max_header_fields) return false;
  }
  return true;
}

inline bool is_multipart(std::string_view content_type) {
  constexpr std::string_view kMultipart = "multipart/form-data";
  while (!content_type.empty() && (content_type.front() == ' ' || content_type.front() == '\t')) {
    content_type.remove_prefix(1);
  }
  return content_type.size() >= kMultipart.size() &&
         iequals(content_type.substr(0, kMultipart.size()), kMultipart);
}

// The body limit once the header is read: multipart uploads may be larger than other bodies.
inline std::uint64_t body_limit_for(const RequestParser& parser, const ServerOptions& options) {
  return is_multipart(parser.get()[boost::beast::http::field::content_type])
             ? options.max_multipart_body_bytes
             : options.max_body_bytes;
}

inline std::string random_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

// The client's X-Request-Id when it is 1..128 printable ASCII characters (safe to echo and log).
inline std::string choose_request_id(std::string_view incoming) {
  const bool usable =
      !incoming.empty() && incoming.size() <= kMaxRequestIdLength &&
      std::all_of(incoming.begin(), incoming.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
  return usable ? std::string(incoming) : random_request_id();
}

// The path part of a request target, as sent (origin form; an absolute-form target is reduced to
// it).
inline std::string_view target_path(std::string_view target) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    const auto slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return target.substr(0, target.find('?'));
}

inline std::string_view target_query(std::string_view target) {
  const auto question = target.find('?');
  return question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
}

inline Request to_request(boost::beast::http::request<boost::beast::http::string_body>&& message,
                          const std::string& peer) {
  Request request;
  request.method = std::string(message.method_string());
  const std::string_view target = message.target();
  request.path = percent_decode(target_path(target));
  request.query = std::string(target_query(target));
  request.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  request.request_id = choose_request_id(message["X-Request-Id"]);
  request.body = std::move(message.body());
  request.peer_ip = peer;
  return request;
}

}  // namespace chirp::http
