#include "api/api.hpp"

#include <chrono>
#include <utility>

#include "api/auth.hpp"
#include "api/error_response.hpp"
#include "api/json.hpp"

namespace chirp::api {
namespace {

bool is_api_path(std::string_view path) {
  return path.starts_with("/api/") || path == "/api";
}

http::Response method_not_allowed(const http::Request& req, const std::string& allow) {
  auto res =
      json_response(405, json::object{{"detail", "Method \"" + req.method + "\" not allowed."}});
  res.add_header("Allow", allow);
  return res;
}

void apply_rate_limit(Context& ctx, const std::string& scope, const RateLimit& limit) {
  if (limit.rules.empty() || !ctx.services.rate_limiter.enabled()) return;
  std::string key = (!limit.by_ip && ctx.caller) ? "user:" + std::to_string(ctx.caller->id)
                                                 : "ip:" + ctx.request.peer_ip;
  ctx.services.rate_limiter.check(scope, key, limit.rules);
}

}  // namespace

std::vector<std::string> route_patterns(const std::vector<Route>& routes) {
  std::vector<std::string> out;
  for (const auto& r : routes) out.emplace_back(r.pattern);
  return out;
}

Api::Api(Services& services) : services_(services), routes_(all_routes()) {
  for (const auto& route : routes_) {
    router_.add(route.method, route.pattern);
    rate_scopes_.push_back(std::string(route.method) + " " + route.pattern);
  }
}

http::Response Api::handle(const http::Request& request) {
  auto started = std::chrono::steady_clock::now();
  int route = -1;
  auto response = dispatch(request, route);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  services_.metrics.observe(route, request.method, response.status, elapsed.count());
  return response;
}

http::Response Api::dispatch(const http::Request& request, int& route_index) {
  auto match = router_.match(request.method, request.path);
  if (match.status == http::MatchStatus::NotFound) {
    return json_response(404, json::object{{"detail", "Not found."}});
  }
  if (match.status == http::MatchStatus::MethodNotAllowed) {
    return method_not_allowed(request, match.allow);
  }
  if (match.status == http::MatchStatus::Options) {
    http::Response res;
    res.add_header("Allow", match.allow);
    return res;
  }

  route_index = static_cast<int>(match.route);
  const Route& route = routes_[match.route];
  Context ctx(request, match.params, services_);
  http::Response response;
  try {
    if (is_api_path(request.path)) authenticate(ctx);
    apply_rate_limit(ctx, rate_scopes_[match.route], route.limit);
    response = route.handler(ctx);
  } catch (...) {
    response = error_response(std::current_exception(), request);
    // Cookies are only set by successful handlers; an error answer carries none of them.
    return response;
  }
  for (auto& header : ctx.response_headers) response.headers.push_back(std::move(header));
  return response;
}

}  // namespace chirp::api
