// SPEC §7: the caller's news feed.
#include "api/cursor_pagination.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "common/time.hpp"

namespace chirp::api::newsfeeds {

http::Response list(Context& ctx) {
  const auto& user = ctx.require_user();
  auto page = read_cursor_page(ctx.query);
  auto result = ctx.services.newsfeeds.page(user.id, page);
  ResponseArena arena;
  const json::storage_ptr& sp = arena.storage();
  json::array items(sp);
  items.reserve(result.items.size());
  for (const auto& item : result.items) {
    items.push_back(json::object({{"tweet", tweet_json(ctx, item.tweet, sp)},
                                  {"created_at", format_iso8601(item.created_at)}},
                                 sp));
  }
  return json_response(200, endless_page_json(result.has_next_page, std::move(items)));
}

}  // namespace chirp::api::newsfeeds
