#include "api/auth.hpp"

#include "common/errors.hpp"
#include "domain/secrets.hpp"

namespace chirp::api {
namespace {

constexpr long long kCsrfCookieMaxAge = 365LL * 24 * 3600;

bool is_unsafe(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// "Token <key>" or "Bearer <key>" (scheme case-insensitive); empty when absent or another scheme.
std::string_view token_from_header(const http::Request& req) {
  auto header = req.header("Authorization");
  if (!header) return {};
  std::string_view value = *header;
  auto space = value.find(' ');
  if (space == std::string_view::npos) return {};
  auto scheme = value.substr(0, space);
  if (!http::iequals(scheme, "Token") && !http::iequals(scheme, "Bearer")) return {};
  auto key = value.substr(space + 1);
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  // An empty key or one with spaces is malformed: treated as an invalid token, not as anonymous.
  if (key.empty() || key.find(' ') != std::string_view::npos) return "\x01";
  return key;
}

void check_csrf(const Context& ctx) {
  auto cookie = ctx.request.cookie(kCsrfCookie);
  auto header = ctx.request.header(kCsrfHeader);
  if (!cookie || cookie->empty() || !header || !domain::secrets_equal(*cookie, *header)) {
    throw PermissionDenied::csrf();
  }
}

std::string cookie_line(const Context& ctx, std::string_view name, std::string_view value,
                        long long max_age, bool http_only) {
  std::string line;
  line.append(name).append("=").append(value).append("; Path=/; SameSite=Lax; Max-Age=");
  line.append(std::to_string(max_age));
  if (http_only) line.append("; HttpOnly");
  if (ctx.services.settings.secure_cookies) line.append("; Secure");
  return line;
}

void set_csrf_cookie(Context& ctx) {
  ctx.response_headers.push_back(
      {"Set-Cookie", cookie_line(ctx, kCsrfCookie, domain::random_hex(32), kCsrfCookieMaxAge, false)});
}

}  // namespace

void authenticate(Context& ctx) {
  if (auto session_id = ctx.request.cookie(kSessionCookie); session_id && !session_id->empty()) {
    if (auto user = ctx.services.accounts.session_user(*session_id)) {
      ctx.caller = std::move(user);
      ctx.auth = AuthMethod::Session;
      ctx.session_id = *session_id;
      if (is_unsafe(ctx.request.method)) check_csrf(ctx);
      return;
    }
  }
  auto key = token_from_header(ctx.request);
  if (key.empty()) return;
  auto user = ctx.services.accounts.token_user(key);
  if (!user) throw PermissionDenied::invalid_token();
  ctx.caller = std::move(user);
  ctx.auth = AuthMethod::Token;
  ctx.token = std::string(key);
}

void set_session_cookies(Context& ctx, const std::string& session_id) {
  ctx.response_headers.push_back(
      {"Set-Cookie", cookie_line(ctx, kSessionCookie, session_id,
                                 ctx.services.settings.session_cookie_max_age_s, true)});
  set_csrf_cookie(ctx);
}

void clear_session_cookie(Context& ctx) {
  ctx.response_headers.push_back({"Set-Cookie", cookie_line(ctx, kSessionCookie, "", 0, true)});
  set_csrf_cookie(ctx);
}

const domain::User& require_admin(const Context& ctx) {
  const auto& user = ctx.require_user();
  if (!user.is_staff) throw PermissionDenied::not_admin();
  return user;
}

}  // namespace chirp::api
