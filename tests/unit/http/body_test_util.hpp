#pragma once
// Builds requests for the body parser tests.
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace chirp::http::testing {

inline Request request_with_body(std::string_view content_type, std::string body) {
  Request req;
  req.method = "POST";
  req.path = "/api/tweets/";
  if (!content_type.empty()) req.headers.push_back({"Content-Type", std::string(content_type)});
  req.body = std::move(body);
  return req;
}

}  // namespace chirp::http::testing
