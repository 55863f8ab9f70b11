// The routing table: every path the server answers, in the order of SPEC §2, with its rate limit
// (SPEC §1.9). Each route counts in its own buckets, keyed by user (or IP when anonymous); the
// accounts endpoints always by IP.
#include "api/api.hpp"

namespace chirp::api {
namespace {

RateLimit per_ip(std::vector<domain::RateRule> rules) { return {std::move(rules), true}; }
RateLimit per_caller(std::vector<domain::RateRule> rules) { return {std::move(rules), false}; }

const RateLimit kAccounts = per_ip({{3, 1}});
const RateLimit kNone{};

}  // namespace

const std::vector<Route>& all_routes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/accounts/login_status/", accounts::login_status, kAccounts},
      {"POST", "/api/accounts/signup/", accounts::signup, kAccounts},
      {"POST", "/api/accounts/login/", accounts::login, kAccounts},
      {"POST", "/api/accounts/logout/", accounts::logout, kAccounts},
      {"POST", "/api/accounts/token/", accounts::create_token, kAccounts},
      {"DELETE", "/api/accounts/token/", accounts::revoke_token, kAccounts},

      {"GET", "/api/users/", users::list, kNone},
      {"GET", "/api/users/{id}/", users::retrieve, kNone},

      {"GET", "/api/profiles/{id}/", profiles::retrieve, kNone},
      {"PUT", "/api/profiles/{id}/", profiles::update, kNone},
      {"PATCH", "/api/profiles/{id}/", profiles::update, kNone},

      {"GET", "/api/tweets/", tweets::list, kNone},
      {"POST", "/api/tweets/", tweets::create, per_caller({{1, 1}, {5, 60}})},
      {"GET", "/api/tweets/{id}/", tweets::retrieve, per_caller({{5, 1}})},
      {"PUT", "/api/tweets/{id}/", tweets::update, per_caller({{3, 1}})},
      {"PATCH", "/api/tweets/{id}/", tweets::update, per_caller({{3, 1}})},
      {"DELETE", "/api/tweets/{id}/", tweets::destroy, per_caller({{3, 1}})},

      {"POST", "/api/friendships/{user_id}/follow/", friendships::follow, per_caller({{10, 1}})},
      {"POST", "/api/friendships/{user_id}/unfollow/", friendships::unfollow, per_caller({{10, 1}})},
      {"GET", "/api/friendships/{user_id}/followers/", friendships::followers, per_caller({{3, 1}})},
      {"GET", "/api/friendships/{user_id}/followings/", friendships::followings, per_caller({{3, 1}})},

      {"GET", "/api/newsfeeds/", newsfeeds::list, per_caller({{5, 1}})},

      {"GET", "/api/comments/", comments::list, per_caller({{10, 1}})},
      {"POST", "/api/comments/", comments::create, per_caller({{3, 1}})},
      {"PUT", "/api/comments/{id}/", comments::update, per_caller({{3, 1}})},
      {"PATCH", "/api/comments/{id}/", comments::update, per_caller({{3, 1}})},
      {"DELETE", "/api/comments/{id}/", comments::destroy, per_caller({{5, 1}})},

      {"POST", "/api/likes/", likes::create, per_caller({{10, 1}})},
      {"POST", "/api/likes/cancel/", likes::cancel, per_caller({{10, 1}})},
      {"GET", "/api/likes/", likes::list, kNone},

      {"GET", "/api/notifications/", notifications::list, kNone},
      {"GET", "/api/notifications/unread-count/", notifications::unread_count, per_caller({{3, 1}})},
      {"POST", "/api/notifications/mark-all-as-read/", notifications::mark_all_as_read,
       per_caller({{3, 1}})},
      {"PUT", "/api/notifications/{id}/", notifications::update, per_caller({{3, 1}})},
      {"PATCH", "/api/notifications/{id}/", notifications::update, per_caller({{3, 1}})},

      {"GET", "/api/gatekeepers/", gatekeepers::list, kNone},
      {"GET", "/api/gatekeepers/{name:str}/", gatekeepers::retrieve, kNone},
      {"PUT", "/api/gatekeepers/{name:str}/", gatekeepers::update, kNone},
      {"PATCH", "/api/gatekeepers/{name:str}/", gatekeepers::update, kNone},

      {"GET", "/healthz", ops::healthz, kNone},
      {"GET", "/readyz", ops::readyz, kNone},
      {"GET", "/metrics", ops::metrics, kNone},
      {"GET", "/media/{path:rest}", ops::media, kNone},

      {"GET", "/", web::index, kNone},
      {"GET", "/static/{path:rest}", web::asset, kNone},
  };
  return routes;
}

}  // namespace chirp::api
