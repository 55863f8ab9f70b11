// SPEC §9: like and cancel on tweets and comments; who liked something.
#include "api/cursor_pagination.hpp"
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "common/ids.hpp"
#include "common/text.hpp"
#include "common/time.hpp"

namespace chirp::api::likes {
namespace {

struct Target {
  domain::ContentType type;
  std::int64_t object_id;
};

// Presence first (missing-param message listing what is missing), then the values.
Target read_target(std::optional<std::string> type, std::optional<std::string> object_id) {
  std::vector<std::string> missing;
  if (!type) missing.emplace_back("content_type");
  if (!object_id) missing.emplace_back("object_id");
  if (!missing.empty()) throw MissingParams(std::move(missing));
  FieldErrors errors;
  std::optional<domain::ContentType> kind;
  if (*type == "tweet") kind = domain::ContentType::Tweet;
  else if (*type == "comment") kind = domain::ContentType::Comment;
  else add_error(errors, "content_type", "\"" + *type + "\" is not a valid choice.");
  auto id = parse_int64(trim(*object_id));
  if (!id) add_error(errors, "object_id", "A valid integer is required.");
  throw_if_any(errors);
  return {*kind, *id};
}

Target body_target(Context& ctx) {
  const auto& input = ctx.input();
  auto text_of = [&](std::string_view name) -> std::optional<std::string> {
    const auto* v = input.get(name);
    if (!v) return std::nullopt;
    if (v->kind == http::FieldKind::Text || v->kind == http::FieldKind::Number) return v->text;
    return std::string(v->kind == http::FieldKind::Bool ? v->text : "");
  };
  return read_target(text_of("content_type"), text_of("object_id"));
}

}  // namespace

http::Response create(Context& ctx) {
  const auto& user = ctx.require_user();
  auto target = body_target(ctx);
  auto like = ctx.services.likes.like(user.id, target.type, target.object_id);
  return json_response(201, like_json(ctx, like));
}

http::Response cancel(Context& ctx) {
  const auto& user = ctx.require_user();
  auto target = body_target(ctx);
  bool removed = ctx.services.likes.cancel(user.id, target.type, target.object_id);
  return json_response(200, json::object{{"success", true}, {"deleted", removed ? 1 : 0}});
}

http::Response list(Context& ctx) {
  auto target = read_target(ctx.query.get("content_type"), ctx.query.get("object_id"));
  auto page = read_cursor_page(ctx.query);
  auto result = ctx.services.likes.list(target.type, target.object_id, page);
  json::array items;
  for (const auto& like : result.items) items.push_back(like_json(ctx, like));
  return json_response(200, endless_page_json(result.has_next_page, std::move(items)));
}

}  // namespace chirp::api::likes
