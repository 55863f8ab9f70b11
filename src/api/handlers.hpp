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

namespace ops {
http::Response healthz(Context& ctx);
http::Response readyz(Context& ctx);
http::Response media(Context& ctx);
}  // namespace ops

}  // namespace chirp::api
