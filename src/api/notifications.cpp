// SPEC §10: the caller's notifications.
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/pagination.hpp"
#include "api/representations.hpp"
#include "common/time.hpp"

namespace chirp::api::notifications {
namespace {

const char* type_name(domain::ContentType type) {
  switch (type) {
    case domain::ContentType::User: return "user";
    case domain::ContentType::Tweet: return "tweet";
    case domain::ContentType::Comment: return "comment";
  }
  return "user";
}

// Object ids are strings on the wire, as in the original.
json::object notification_json(const Context& ctx, const domain::NotificationView& view) {
  const auto& n = view.notification;
  json::object target{{"type", type_name(n.target_type)}, {"id", n.target_id}};
  if (view.target_content) target["content"] = *view.target_content;
  json::value action_type = nullptr, action_id = nullptr;
  if (n.action_comment_id) {
    action_type = static_cast<int>(domain::ContentType::Comment);
    action_id = std::to_string(*n.action_comment_id);
  }
  return {{"id", n.id},
          {"actor_content_type", static_cast<int>(domain::ContentType::User)},
          {"actor_object_id", std::to_string(n.actor_id)},
          {"verb", n.verb},
          {"action_object_content_type", action_type},
          {"action_object_object_id", action_id},
          {"target_content_type", static_cast<int>(n.target_type)},
          {"target_object_id", std::to_string(n.target_id)},
          {"timestamp", format_iso8601(n.timestamp)},
          {"unread", n.unread},
          {"actor", user_json(ctx, view.actor)},
          {"target", std::move(target)}};
}

}  // namespace

http::Response list(Context& ctx) {
  const auto& user = ctx.require_user();
  std::optional<bool> unread;
  if (auto raw = ctx.query.get("unread")) {
    unread = parse_bool(*raw);
    if (!unread) throw ValidationError("unread", "Must be a valid boolean.");
  }
  auto page = read_page_request(ctx.query);
  auto result = ctx.services.notifications.list(user.id, unread, page.page, page.page_size);
  json::array items;
  for (const auto& view : result.items) items.push_back(notification_json(ctx, view));
  return json_response(200, page_json(ctx, page, result.count, std::move(items)));
}

http::Response unread_count(Context& ctx) {
  const auto& user = ctx.require_user();
  return json_response(200,
                       json::object{{"unread_count", ctx.services.notifications.unread_count(user.id)}});
}

http::Response mark_all_as_read(Context& ctx) {
  const auto& user = ctx.require_user();
  return json_response(200,
                       json::object{{"marked_count", ctx.services.notifications.mark_all_read(user.id)}});
}

// PUT and PATCH: `unread` is required; other fields are ignored.
http::Response update(Context& ctx) {
  const auto& user = ctx.require_user();
  const auto& input = ctx.input();
  if (!input.get("unread")) throw MissingParams({"unread"});
  FieldErrors errors;
  auto unread = optional_bool(input, "unread", errors);
  throw_if_any(errors);
  auto view = ctx.services.notifications.set_unread(ctx.params.id("id"), user.id, *unread);
  return json_response(200, notification_json(ctx, view));
}

}  // namespace chirp::api::notifications
