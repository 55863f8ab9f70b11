// SPEC §5: tweets — list by user, create with photos, retrieve, edit and delete by the owner.
#include "api/cursor_pagination.hpp"
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"

namespace chirp::api::tweets {
namespace {

// The detail view embeds the oldest comments and the newest likes, this many each (SPEC §5.3).
constexpr std::size_t kEmbeddedItems = 100;

// Photos arrive as repeated multipart `files`. A `files` value that is not a file (other than an
// empty one, which clients send for "no photos") is not an image.
std::vector<std::string> uploaded_photos(const http::Input& input, FieldErrors& errors) {
  std::vector<std::string> photos;
  for (const auto* file : input.files_named("files")) photos.push_back(file->data);
  if (photos.empty()) {
    if (const auto* value = input.get("files")) {
      bool empty = (value->kind == http::FieldKind::Text && value->text.empty()) ||
                   (value->kind == http::FieldKind::Array && value->items.empty()) ||
                   value->kind == http::FieldKind::Null;
      if (!empty) add_error(errors, "files", "Upload a valid image.");
    }
  }
  return photos;
}

std::int64_t required_user_id(const http::QueryParams& query) {
  auto raw = query.get("user_id");
  if (!raw) throw MissingParams({"user_id"});
  auto id = parse_int64(*raw);
  if (!id) throw ValidationError("user_id", "A valid integer is required.");
  return *id;
}

}  // namespace

http::Response list(Context& ctx) {
  auto user_id = required_user_id(ctx.query);
  auto page = read_cursor_page(ctx.query);
  auto result = ctx.services.tweets.list_by_user(user_id, page, ctx.caller_id());
  ResponseArena arena;
  json::array items(arena.storage());
  items.reserve(result.items.size());
  for (const auto& view : result.items) items.push_back(tweet_json(ctx, view, arena.storage()));
  return json_response(200, endless_page_json(result.has_next_page, std::move(items)));
}

http::Response create(Context& ctx) {
  const auto& user = ctx.require_user();
  const auto& input = ctx.input();
  FieldErrors errors;
  auto content = required_text(input, "content", errors);
  auto photos = uploaded_photos(input, errors);
  throw_if_any(errors);
  auto view = ctx.services.tweets.create(user.id, {*content, std::move(photos)});
  return json_response(201, tweet_json(ctx, view));
}

http::Response retrieve(Context& ctx) {
  auto id = ctx.params.id("id");
  auto view = ctx.services.tweets.get(id, ctx.caller_id());
  auto body = tweet_json(ctx, view);
  json::array comments, likes;
  for (const auto& c :
       ctx.services.comments.list(id, std::nullopt, kEmbeddedItems, ctx.caller_id()).comments) {
    comments.push_back(comment_json(ctx, c));
  }
  for (const auto& like :
       ctx.services.likes.recent(domain::ContentType::Tweet, id, kEmbeddedItems)) {
    likes.push_back(like_json(ctx, like));
  }
  body["comments"] = std::move(comments);
  body["likes"] = std::move(likes);
  return json_response(200, body);
}

// PUT needs `content`; PATCH without it changes nothing. Only the content can change.
http::Response update(Context& ctx) {
  const auto& user = ctx.require_user();
  const auto& input = ctx.input();
  FieldErrors errors;
  auto content = ctx.request.method == "PUT" ? required_text(input, "content", errors)
                                             : optional_text(input, "content", errors);
  throw_if_any(errors);
  auto id = ctx.params.id("id");
  auto view = content ? ctx.services.tweets.update(id, user.id, *content)
                      : ctx.services.tweets.get_owned(id, user.id);
  return json_response(200, tweet_json(ctx, view));
}

http::Response destroy(Context& ctx) {
  const auto& user = ctx.require_user();
  ctx.services.tweets.remove(ctx.params.id("id"), user.id);
  return json_response(200, json::object{{"success", true}, {"deleted", 1}});
}

}  // namespace chirp::api::tweets
