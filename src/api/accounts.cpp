// SPEC §3: sign-up, login, logout, login status and API tokens.
#include "api/auth.hpp"
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "domain/account_rules.hpp"

namespace chirp::api::accounts {
namespace {

json::object success_with_user(const domain::User& user) {
  return {{"success", true}, {"user", account_user_json(user)}};
}

// Login and token creation share their input and errors (SPEC §3.3, §3.6). `username` may also
// hold an e-mail address.
domain::User check_credentials(Context& ctx) {
  const auto& input = ctx.input();
  FieldErrors errors;
  auto username = optional_text(input, "username", errors);
  auto email = optional_text(input, "email", errors);
  auto password = optional_text(input, "password", errors, Trim::No);
  throw_if_any(errors);

  auto given = [](const std::optional<std::string>& v) { return v && !v->empty(); };
  std::vector<std::string> missing;
  if (!given(username) && !given(email)) missing.emplace_back("username");
  if (!given(password)) missing.emplace_back("password");
  if (!missing.empty()) throw MissingParams(std::move(missing));
  return ctx.services.accounts.check_credentials(given(username) ? *username : *email, *password);
}

}  // namespace

http::Response login_status(Context& ctx) {
  json::object body{{"has_logged_in", ctx.caller.has_value()}, {"ip", ctx.request.peer_ip}};
  if (ctx.caller) body["user"] = account_user_json(*ctx.caller);
  return json_response(200, body);
}

http::Response signup(Context& ctx) {
  const auto& input = ctx.input();
  FieldErrors errors;
  auto username = required_text(input, "username", errors);
  auto email = required_text(input, "email", errors);
  auto password = required_text(input, "password", errors, Trim::No);
  // Report every field's problems at once, in SPEC order, like a DRF serializer.
  FieldErrors all;
  auto collect = [&](const char* field, const std::optional<std::string>& value, auto validate) {
    for (const auto& [name, messages] : errors) {
      if (name == field) {
        all.push_back({name, messages});
        return;
      }
    }
    if (auto messages = validate(*value); !messages.empty()) all.push_back({field, messages});
  };
  collect("username", username, domain::username_errors);
  collect("email", email, domain::email_errors);
  collect("password", password, domain::password_errors);
  throw_if_any(all);

  auto user = ctx.services.accounts.signup({*username, *email, *password});
  set_session_cookies(ctx, ctx.services.accounts.open_session(user.id));
  return json_response(201, success_with_user(user));
}

http::Response login(Context& ctx) {
  auto user = check_credentials(ctx);
  // A new id on every login (no session fixation); the old session, if any, ends.
  if (ctx.auth == AuthMethod::Session) ctx.services.accounts.close_session(ctx.session_id);
  set_session_cookies(ctx, ctx.services.accounts.open_session(user.id));
  return json_response(200, success_with_user(user));
}

http::Response logout(Context& ctx) {
  if (ctx.auth == AuthMethod::Session) ctx.services.accounts.close_session(ctx.session_id);
  clear_session_cookie(ctx);
  return json_response(200, json::object{{"success", true}});
}

http::Response create_token(Context& ctx) {
  auto user = check_credentials(ctx);
  auto key = ctx.services.accounts.create_token(user.id);
  return json_response(200, json::object{{"token", key}, {"user", account_user_json(user)}});
}

http::Response revoke_token(Context& ctx) {
  if (ctx.auth != AuthMethod::Token) throw PermissionDenied::not_authenticated();
  ctx.services.accounts.revoke_token(ctx.token);
  return json_response(200, json::object{{"success", true}});
}

}  // namespace chirp::api::accounts
