#pragma once
// SPEC §1.3: who the caller is (session cookie, then token, else anonymous) and the CSRF rule for
// session-authenticated unsafe requests.
#include "api/context.hpp"

namespace chirp::api {

inline constexpr std::string_view kSessionCookie = "sessionid";
inline constexpr std::string_view kCsrfCookie = "csrftoken";
inline constexpr std::string_view kCsrfHeader = "X-CSRFToken";

// Fills ctx.caller/auth. Throws PermissionDenied::invalid_token for a bad token when no valid
// session cookie was sent, and PermissionDenied::csrf for a session request of an unsafe method
// without a matching X-CSRFToken header.
void authenticate(Context& ctx);

// Adds the Set-Cookie headers of a fresh session (and CSRF token) to the response.
void set_session_cookies(Context& ctx, const std::string& session_id);
// Expires the session cookie and issues a fresh CSRF token.
void clear_session_cookie(Context& ctx);

// PermissionDenied::not_admin unless the caller is staff (not_authenticated when anonymous).
const domain::User& require_admin(const Context& ctx);

}  // namespace chirp::api
