#include "api/representations.hpp"

#include "common/time.hpp"

namespace chirp::api {

json::value media_url(const Context& ctx, const std::optional<std::string>& path,
                      const json::storage_ptr& sp) {
  if (!path) return json::value(nullptr, sp);
  return json::value(ctx.origin() + ctx.services.media.url_of(*path), sp);
}

json::object account_user_json(const domain::User& user) {
  return {{"id", user.id}, {"username", user.username}, {"email", user.email}};
}

json::object user_json(const Context& ctx, const domain::UserSummary& user,
                       const json::storage_ptr& sp) {
  return json::object({{"id", user.id},
                       {"username", user.username},
                       {"nickname", nullable(user.nickname)},
                       {"avatar_url", media_url(ctx, user.avatar, sp)}},
                      sp);
}

json::object user_json(const Context& ctx, const domain::User& user,
                       const domain::Profile& profile) {
  return user_json(ctx,
                   domain::UserSummary{user.id, user.username, profile.nickname, profile.avatar});
}

json::object admin_user_json(const Context& ctx, const domain::UserWithProfile& item) {
  json::object out = user_json(ctx, item.user, item.profile);
  out["email"] = item.user.email;
  out["date_joined"] = format_iso8601(item.user.date_joined);
  out["is_staff"] = item.user.is_staff;
  return out;
}

json::object tweet_json(const Context& ctx, const domain::TweetView& view,
                        const json::storage_ptr& sp) {
  const auto& t = view.tweet;
  json::array photos(sp);
  for (const auto& path : t.photos) photos.push_back(media_url(ctx, path, sp));
  return json::object({{"id", t.id},
                       {"user", user_json(ctx, view.author, sp)},
                       {"content", t.content},
                       {"created_at", format_iso8601(t.created_at)},
                       {"updated_at", format_iso8601(t.updated_at)},
                       {"comments_count", t.comments_count},
                       {"likes_count", t.likes_count},
                       {"has_liked", view.has_liked},
                       {"photo_urls", std::move(photos)}},
                      sp);
}

json::object comment_json(const Context& ctx, const domain::CommentView& view) {
  const auto& c = view.comment;
  return {{"id", c.id},
          {"tweet_id", c.tweet_id},
          {"user", user_json(ctx, view.author)},
          {"content", c.content},
          {"created_at", format_iso8601(c.created_at)},
          {"updated_at", format_iso8601(c.updated_at)},
          {"likes_count", c.likes_count},
          {"has_liked", view.has_liked}};
}

json::object like_json(const Context& ctx, const domain::LikeView& like) {
  return {{"user", user_json(ctx, like.user)}, {"created_at", format_iso8601(like.created_at)}};
}

json::object gatekeeper_json(const domain::Gatekeeper& gatekeeper) {
  json::array whitelist;
  for (domain::UserId id : gatekeeper.whitelist) whitelist.push_back(id);
  return {{"name", gatekeeper.name},
          {"percent", gatekeeper.percent},
          {"whitelist", std::move(whitelist)},
          {"description", gatekeeper.description}};
}

}  // namespace chirp::api
