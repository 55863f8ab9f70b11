#pragma once
// Every endpoint's handler, grouped by resource; each group is implemented in src/api/<resource>.cpp
// and routed in src/api/routes.cpp.
#include "api/context.hpp"
#include "http/message.hpp"

namespace chirp::api {

using Handler = http::Response (*)(Context&);

namespace accounts {
http::Response login_status(Context& ctx);
http::Response signup(Context& ctx);
http::Response login(Context& ctx);
http::Response logout(Context& ctx);
http::Response create_token(Context& ctx);
http::Response revoke_token(Context& ctx);
}  // namespace accounts

namespace users {
http::Response list(Context& ctx);
http::Response retrieve(Context& ctx);
}  // namespace users

namespace profiles {
http::Response retrieve(Context& ctx);
http::Response update(Context& ctx);
}  // namespace profiles

namespace tweets {
http::Response list(Context& ctx);
http::Response create(Context& ctx);
http::Response retrieve(Context& ctx);
http::Response update(Context& ctx);
http::Response destroy(Context& ctx);
}  // namespace tweets

namespace friendships {
http::Response follow(Context& ctx);
http::Response unfollow(Context& ctx);
http::Response followers(Context& ctx);
http::Response followings(Context& ctx);
}  // namespace friendships

namespace newsfeeds {
http::Response list(Context& ctx);
}  // namespace newsfeeds

namespace comments {
http::Response list(Context& ctx);
http::Response create(Context& ctx);
http::Response update(Context& ctx);
http::Response destroy(Context& ctx);
}  // namespace comments

namespace likes {
http::Response create(Context& ctx);
http::Response cancel(Context& ctx);
http::Response list(Context& ctx);
}  // namespace likes

namespace notifications {
http::Response list(Context& ctx);
http::Response unread_count(Context& ctx);
http::Response mark_all_as_read(Context& ctx);
http::Response update(Context& ctx);
}  // namespace notifications

namespace gatekeepers {
http::Response list(Context& ctx);
http::Response retrieve(Context& ctx);
http::Response update(Context& ctx);
}  // namespace gatekeepers

namespace ops {
http::Response healthz(Context& ctx);
http::Response readyz(Context& ctx);
http::Response metrics(Context& ctx);
http::Response media(Context& ctx);
}  // namespace ops

namespace web {
http::Response index(Context& ctx);
http::Response asset(Context& ctx);
}  // namespace web

}  // namespace chirp::api
