// The routing table: every path the server answers, in the order of SPEC §2, with its rate limit.
#include "api/api.hpp"

namespace chirp::api {
namespace {

RateLimit by_ip(const char* scope, std::vector<domain::RateRule> rules) {
  return {scope, std::move(rules), true};
}

const RateLimit kAccountsLimit = by_ip("accounts", {{3, 1}});

}  // namespace

const std::vector<Route>& all_routes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/accounts/login_status/", accounts::login_status, kAccountsLimit},
      {"POST", "/api/accounts/signup/", accounts::signup, kAccountsLimit},
      {"POST", "/api/accounts/login/", accounts::login, kAccountsLimit},
      {"POST", "/api/accounts/logout/", accounts::logout, kAccountsLimit},
      {"POST", "/api/accounts/token/", accounts::create_token, kAccountsLimit},
      {"DELETE", "/api/accounts/token/", accounts::revoke_token, kAccountsLimit},

      {"GET", "/api/users/", users::list, {}},
      {"GET", "/api/users/{id}/", users::retrieve, {}},

      {"GET", "/api/profiles/{id}/", profiles::retrieve, {}},
      {"PUT", "/api/profiles/{id}/", profiles::update, {}},
      {"PATCH", "/api/profiles/{id}/", profiles::update, {}},

      {"GET", "/healthz", ops::healthz, {}},
      {"GET", "/readyz", ops::readyz, {}},
      {"GET", "/media/{path:rest}", ops::media, {}},
  };
  return routes;
}

}  // namespace chirp::api
