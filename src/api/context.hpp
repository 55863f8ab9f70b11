#pragma once
// Everything a handler sees about one request: the request, its path parameters, the caller, the
// services, and headers to add to the answer (cookies).
#include <optional>
#include <string>
#include <vector>

#include "api/services.hpp"
#include "domain/entities.hpp"
#include "http/body.hpp"
#include "http/message.hpp"
#include "http/query.hpp"
#include "http/router.hpp"

namespace chirp::api {

enum class AuthMethod { None, Session, Token };

class Context {
 public:
  Context(const http::Request& request, const http::PathParams& params, Services& services)
      : request(request), params(params), services(services), query(request.query) {}

  const http::Request& request;
  const http::PathParams& params;
  Services& services;
  http::QueryParams query;

  std::optional<domain::User> caller;
  AuthMethod auth = AuthMethod::None;
  std::string session_id;  // raw cookie value when authenticated by session
  std::string token;       // raw key when authenticated by token
  std::vector<http::Header> response_headers;

  // The parsed body, parsed on first use (throws the body errors of SPEC §1.2).
  const http::Input& input();
  // The caller, or PermissionDenied "Authentication credentials were not provided."
  const domain::User& require_user() const;
  std::optional<domain::UserId> caller_id() const {
    return caller ? std::optional(caller->id) : std::nullopt;
  }
  // "http://host:port" from the Host header, for absolute URLs in responses.
  std::string origin() const;

 private:
  std::optional<http::Input> input_;
};

}  // namespace chirp::api
