// SPEC §8: comments — list by tweet, create, edit and delete by the owner.
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"

namespace chirp::api::comments {
namespace {

json::array comments_json(const Context& ctx, const std::vector<domain::CommentView>& views) {
  json::array out;
  for (const auto& v : views) out.push_back(comment_json(ctx, v));
  return out;
}

}  // namespace

// Oldest first, at most 1000; "has_next_page" appears only when more exist (SPEC §8), and
// created_at__gt continues from the last one. Other query parameters are ignored.
http::Response list(Context& ctx) {
  auto raw = ctx.query.get("tweet_id");
  if (!raw) throw MissingParams({"tweet_id"});
  auto tweet = parse_int64(*raw);
  if (!tweet) throw ValidationError("tweet_id", "A valid integer is required.");
  std::optional<Micros> after;
  if (auto cursor = ctx.query.get("created_at__gt")) {
    after = parse_cursor(*cursor);
    if (!after) throw ValidationError("created_at__gt", "Datetime has wrong format.");
  }
  auto result = ctx.services.comments.list(*tweet, after, domain::kMaxCommentsPerList,
                                           ctx.caller_id());
  json::object body{{"comments", comments_json(ctx, result.comments)}};
  if (result.has_next_page) body["has_next_page"] = true;
  return json_response(200, body);
}

http::Response create(Context& ctx) {
  const auto& user = ctx.require_user();
  const auto& input = ctx.input();
  FieldErrors errors;
  if (!input.get("tweet_id")) add_error(errors, "tweet_id", "This field is required.");
  auto tweet = optional_int(input, "tweet_id", errors);
  auto content = required_text(input, "content", errors);
  if (content) {
    for (auto& m : domain::comment_content_errors(*content)) add_error(errors, "content", m);
  }
  throw_if_any(errors);
  auto view = ctx.services.comments.create(user.id, *tweet, *content);
  return json_response(201, comment_json(ctx, view));
}

// PUT and PATCH: only `content` changes; every other field sent is ignored.
http::Response update(Context& ctx) {
  const auto& user = ctx.require_user();
  FieldErrors errors;
  auto content = required_text(ctx.input(), "content", errors);
  throw_if_any(errors);
  auto view = ctx.services.comments.update(ctx.params.id("id"), user.id, *content);
  return json_response(200, comment_json(ctx, view));
}

http::Response destroy(Context& ctx) {
  const auto& user = ctx.require_user();
  ctx.services.comments.remove(ctx.params.id("id"), user.id);
  return json_response(200, json::object{{"success", true}});
}

}  // namespace chirp::api::comments
