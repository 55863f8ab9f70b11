#pragma once
// The JSON shapes of SPEC §1.8 and §3-§4, built in one place so every endpoint renders an object
// the same way.
#include <optional>
#include <string>

#include "api/context.hpp"
#include "api/json.hpp"
#include "domain/comments.hpp"
#include "domain/entities.hpp"
#include "domain/gatekeepers.hpp"
#include "domain/likes.hpp"
#include "domain/tweet_loader.hpp"
#include "domain/users.hpp"

namespace chirp::api {

// Every builder takes the storage its JSON is allocated from: the default heap, or the arena of a
// list response (json::storage_ptr of a monotonic_resource), where a page's hundreds of small
// values cost one allocation instead of one each (perf: malloc was a quarter of a feed page).

// Absolute URL of a stored media path, or null.
json::value media_url(const Context& ctx, const std::optional<std::string>& path,
                      const json::storage_ptr& sp = {});

// {"id", "username", "email"} — the accounts endpoints' user.
json::object account_user_json(const domain::User& user);
// {"id", "username", "nickname", "avatar_url"} — the user representation used everywhere.
json::object user_json(const Context& ctx, const domain::UserSummary& user,
                       const json::storage_ptr& sp = {});
json::object user_json(const Context& ctx, const domain::User& user,
                       const domain::Profile& profile);
// The admin's view: user_json plus email, date_joined, is_staff.
json::object admin_user_json(const Context& ctx, const domain::UserWithProfile& item);

// The tweet representation of SPEC §1.8.
json::object tweet_json(const Context& ctx, const domain::TweetView& view,
                        const json::storage_ptr& sp = {});

// The comment representation of SPEC §1.8.
json::object comment_json(const Context& ctx, const domain::CommentView& view);

// {"user", "created_at"}: one like (SPEC §9).
json::object like_json(const Context& ctx, const domain::LikeView& like);

// {"name", "percent", "whitelist": [ids], "description"}: one gatekeeper (SPEC §11); also the
// output of `chirp gatekeeper`.
json::object gatekeeper_json(const domain::Gatekeeper& gatekeeper);

}  // namespace chirp::api
