#pragma once
// The whole HTTP API as one request handler: routing, authentication, CSRF, rate limits, the
// endpoint's handler and error envelopes. The security headers are the server's defaults
// (http::security_headers()): a handler sets one only where its answer needs a different value.
#include <vector>

#include "api/handlers.hpp"
#include "api/services.hpp"
#include "domain/rate_limiter.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace chirp::api {

// How requests to a route are counted against SPEC §1.9's limits.
// Each route counts in its own buckets.
struct RateLimit {
  std::vector<domain::RateRule> rules;  // empty: not limited
  bool by_ip = false;                   // always keyed by client IP (the accounts endpoints)
};

struct Route {
  const char* method;
  const char* pattern;
  Handler handler;
  RateLimit limit;
};

// The routing table of the whole server, in SPEC §2 order (routes.cpp).
const std::vector<Route>& all_routes();
std::vector<std::string> route_patterns(const std::vector<Route>& routes);

class Api {
 public:
  explicit Api(Services& services);
  http::Response handle(const http::Request& request);

 private:
  http::Response dispatch(const http::Request& request, int& route_index);

  Services& services_;
  const std::vector<Route>& routes_;
  std::vector<std::string> rate_scopes_;  // "POST /api/tweets/" per route
  http::Router router_;
};

}  // namespace chirp::api
