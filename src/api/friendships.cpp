// SPEC §6: follow, unfollow, followers and followings.
#include "api/cursor_pagination.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "common/time.hpp"

namespace chirp::api::friendships {
namespace {

json::array items_json(const Context& ctx, const std::vector<domain::FriendshipItem>& items) {
  json::array out;
  for (const auto& item : items) {
    out.push_back(json::object{{"user", user_json(ctx, item.user)},
                               {"created_at", format_iso8601(item.created_at)},
                               {"has_followed", item.has_followed}});
  }
  return out;
}

}  // namespace

http::Response follow(Context& ctx) {
  const auto& user = ctx.require_user();
  auto result = ctx.services.friendships.follow(user.id, ctx.params.id("user_id"));
  if (result.duplicate) {
    return json_response(201, json::object{{"success", true}, {"duplicate", true}});
  }
  return json_response(201, json::object{{"success", true},
                                         {"user", user_json(ctx, result.followed)},
                                         {"created_at", format_iso8601(result.created->created_at)},
                                         {"has_followed", true}});
}

http::Response unfollow(Context& ctx) {
  const auto& user = ctx.require_user();
  bool removed = ctx.services.friendships.unfollow(user.id, ctx.params.id("user_id"));
  return json_response(200, json::object{{"success", true}, {"deleted", removed ? 1 : 0}});
}

http::Response followers(Context& ctx) {
  auto page = read_cursor_page(ctx.query);
  auto result = ctx.services.friendships.followers(ctx.params.id("user_id"), page, ctx.caller_id());
  return json_response(200, endless_page_json(result.has_next_page, items_json(ctx, result.items)));
}

http::Response followings(Context& ctx) {
  auto page = read_cursor_page(ctx.query);
  auto result = ctx.services.friendships.followings(ctx.params.id("user_id"), page, ctx.caller_id());
  return json_response(200, endless_page_json(result.has_next_page, items_json(ctx, result.items)));
}

}  // namespace chirp::api::friendships
