#pragma once
// The whole HTTP API as one request handler: routing, authentication, CSRF, rate limits, the
// endpoint's handler and error envelopes.
#include <vector>

#include "api/handlers.hpp"
#include "api/services.hpp"
#include "domain/rate_limiter.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace chirp::api {

// How requests to a route are counted against SPEC §1.9's limits.
struct RateLimit {
  const char* scope = nullptr;  // nullptr: not limited
  std::vector<domain::RateRule> rules;
  bool by_ip = false;  // always keyed by client IP (the accounts endpoints)
};

struct Route {
  const char* method;
  const char* pattern;
  Handler handler;
  RateLimit limit;
};

// The routing table of the whole server, in SPEC §2 order (routes.cpp).
const std::vector<Route>& all_routes();

class Api {
 public:
  explicit Api(Services& services);
  http::Response handle(const http::Request& request);

 private:
  Services& services_;
  const std::vector<Route>& routes_;
  http::Router router_;
};

}  // namespace chirp::api
