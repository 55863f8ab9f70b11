// SPEC §11: gatekeepers (named switches for gray release, whitelisting and rollback).
//
// Who may call: admins only, reads included. SPEC §2 lists GET /api/gatekeepers/ and
// GET /api/gatekeepers/{name}/ as "admin" like the writes, and whitelists are user ids that say
// who is trying what, which is no one else's business. Anonymous callers get SPEC §1.3's 403
// "Authentication credentials were not provided.", other users §1.4's not-admin 403.
//
// PUT and PATCH are both partial updates (as for profiles): fields not sent keep their value.
// A {name} that can never be a gatekeeper's name is 404 on GET (like a non-numeric id, SPEC §1.1)
// and a validation error on `name` on PUT/PATCH, which say how to name a new switch.
#include <climits>

#include "api/auth.hpp"
#include "api/fields.hpp"
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "api/representations.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/text.hpp"

namespace chirp::api::gatekeepers {
namespace {

constexpr const char* kNotInteger = "A valid integer is required.";

std::string name_param(const Context& ctx) { return std::string(ctx.params.get("name").value_or("")); }

// An integer percent; out-of-range values are left to the domain (its messages name the bounds).
std::optional<int> read_percent(const http::Input& input, FieldErrors& errors) {
  auto value = optional_int(input, "percent", errors);
  if (!value) return std::nullopt;
  return static_cast<int>(std::clamp<std::int64_t>(*value, INT_MIN, INT_MAX));
}

// A JSON array of integers (numbers or digit strings), or one comma-separated string ("1,2,3";
// "" is the empty list) as forms send it.
std::optional<std::vector<domain::UserId>> read_whitelist(const http::Input& input,
                                                          FieldErrors& errors) {
  const http::FieldValue* value = input.get("whitelist");
  if (!value) return std::nullopt;
  switch (value->kind) {
    case http::FieldKind::Array: {
      std::vector<domain::UserId> ids;
      for (const auto& item : value->items) {
        std::optional<std::int64_t> id;
        if (item.kind == http::FieldKind::Number) id = parse_int64(item.text);
        if (item.kind == http::FieldKind::Text) id = parse_int64(trim(item.text));
        if (!id) {
          add_error(errors, "whitelist", kNotInteger);
          return std::nullopt;
        }
        ids.push_back(*id);
      }
      return ids;
    }
    case http::FieldKind::Text:
    case http::FieldKind::Number: {
      auto ids = value->valid_utf8 ? domain::parse_whitelist(value->text) : std::nullopt;
      if (!ids) add_error(errors, "whitelist", kNotInteger);
      return ids;
    }
    case http::FieldKind::Null:
      add_error(errors, "whitelist", "This field may not be null.");
      return std::nullopt;
    default:
      add_error(errors, "whitelist", "Expected a list of user ids.");
      return std::nullopt;
  }
}

}  // namespace

http::Response list(Context& ctx) {
  require_admin(ctx);
  json::array items;
  for (const auto& gatekeeper : ctx.services.gatekeepers.list()) {
    items.push_back(gatekeeper_json(gatekeeper));
  }
  return json_response(200, json::object{{"gatekeepers", std::move(items)}});
}

http::Response retrieve(Context& ctx) {
  require_admin(ctx);
  const std::string name = name_param(ctx);
  if (domain::gatekeeper_name_error(name)) throw NotFound();
  return json_response(200, gatekeeper_json(ctx.services.gatekeepers.get(name)));
}

http::Response update(Context& ctx) {
  require_admin(ctx);
  const auto& input = ctx.input();
  FieldErrors errors;
  domain::GatekeeperChange change;
  change.percent = read_percent(input, errors);
  change.whitelist = read_whitelist(input, errors);
  change.description = optional_text(input, "description", errors);
  throw_if_any(errors);
  return json_response(200, gatekeeper_json(ctx.services.gatekeepers.set(name_param(ctx), change)));
}

}  // namespace chirp::api::gatekeepers
