// SPEC §4: the admin's user list and user detail.
#include "api/auth.hpp"
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/pagination.hpp"
#include "api/representations.hpp"
#include "common/errors.hpp"

namespace chirp::api::users {

http::Response list(Context& ctx) {
  require_admin(ctx);
  auto page = read_page_request(ctx.query);
  auto result = ctx.services.users.list(page.page, page.page_size);
  json::array items;
  for (const auto& item : result.items) items.push_back(admin_user_json(ctx, item));
  return json_response(200, page_json(ctx, page, result.count, std::move(items)));
}

http::Response retrieve(Context& ctx) {
  require_admin(ctx);
  auto item = ctx.services.users.find(ctx.params.id("id"));
  if (!item) throw NotFound();
  return json_response(200, admin_user_json(ctx, *item));
}

}  // namespace chirp::api::users
