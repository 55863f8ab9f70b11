// SPEC §4: profiles — read by anyone, nickname and avatar changed by the owner.
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"

namespace chirp::api::profiles {
namespace {

// The avatar must arrive as a file; anything else sent under that name is not an image.
std::optional<std::string> avatar_upload(const http::Input& input, FieldErrors& errors) {
  auto files = input.files_named("avatar");
  if (!files.empty()) return files.back()->data;
  if (input.get("avatar")) add_error(errors, "avatar", "Upload a valid image.");
  return std::nullopt;
}

}  // namespace

http::Response retrieve(Context& ctx) {
  auto view = ctx.services.profiles.get(ctx.params.id("id"), ctx.caller_id());
  return json_response(200, json::object{
                                {"id", view.user.id},
                                {"user", user_json(ctx, view.user, view.profile)},
                                {"nickname", nullable(view.profile.nickname)},
                                {"avatar_url", media_url(ctx, view.profile.avatar)},
                                {"followers_count", view.followers_count},
                                {"followings_count", view.followings_count},
                                {"tweets_count", view.tweets_count},
                                {"has_followed", view.has_followed},
                            });
}

// PUT and PATCH are both partial: every field is optional (as in the original's update serializer).
http::Response update(Context& ctx) {
  const auto& caller = ctx.require_user();
  const auto& input = ctx.input();
  FieldErrors errors;
  domain::ProfileChanges changes;
  changes.nickname = optional_text(input, "nickname", errors);
  changes.avatar_data = avatar_upload(input, errors);
  throw_if_any(errors);

  auto profile = ctx.services.profiles.update(ctx.params.id("id"), caller.id, changes);
  auto avatar = media_url(ctx, profile.avatar);
  return json_response(200, json::object{{"nickname", nullable(profile.nickname)},
                                         {"avatar", avatar},
                                         {"avatar_url", avatar}});
}

}  // namespace chirp::api::profiles
