#include "api/representations.hpp"

#include "common/time.hpp"

namespace chirp::api {

json::value media_url(const Context& ctx, const std::optional<std::string>& path) {
  if (!path) return nullptr;
  return json::value(ctx.origin() + ctx.services.media.url_of(*path));
}

json::object account_user_json(const domain::User& user) {
  return {{"id", user.id}, {"username", user.username}, {"email", user.email}};
}

json::object user_json(const Context& ctx, const domain::UserSummary& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"nickname", nullable(user.nickname)},
          {"avatar_url", media_url(ctx, user.avatar)}};
}

json::object user_json(const Context& ctx, const domain::User& user,
                       const domain::Profile& profile) {
  return user_json(ctx, domain::UserSummary{user.id, user.username, profile.nickname, profile.avatar});
}

json::object admin_user_json(const Context& ctx, const domain::UserWithProfile& item) {
  json::object out = user_json(ctx, item.user, item.profile);
  out["email"] = item.user.email;
  out["date_joined"] = format_iso8601(item.user.date_joined);
  out["is_staff"] = item.user.is_staff;
  return out;
}

}  // namespace chirp::api
