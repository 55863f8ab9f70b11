#include "domain/likes.hpp"

#include "common/errors.hpp"
#include "domain/clock.hpp"

namespace chirp::domain {
namespace {

ValidationError unknown_object() {
  return ValidationError("object_id", "Object does not exist.");
}

}  // namespace

UserId LikeService::owner_of(ContentType type, std::int64_t object_id) {
  if (type == ContentType::Tweet) {
    auto author = tweets_.author_of(object_id);
    if (!author) throw unknown_object();
    return *author;
  }
  auto comment = comments_.find(object_id);
  if (!comment) throw unknown_object();
  return comment->user_id;
}

LikeView LikeService::like(UserId user, ContentType type, std::int64_t object_id) {
  UserId owner = owner_of(type, object_id);
  std::optional<NewNotification> notify;
  if (owner != user) {
    if (type == ContentType::Tweet) {
      notify = NewNotification{owner, user, "liked your tweet", type, object_id, std::nullopt};
    } else {
      notify = NewNotification{owner, user, "liked your comment", type, object_id, std::nullopt};
    }
  }
  auto result = likes_.create(type, object_id, user, unique_now(), notify);
  if (!result) throw unknown_object();  // deleted between the check and the insert
  if (result->created && type == ContentType::Tweet) tweets_.forget(object_id);
  auto found = users_.summaries({user});
  auto it = found.find(user);
  if (it == found.end()) throw NotFound();
  return {it->second, result->like.created_at};
}

bool LikeService::cancel(UserId user, ContentType type, std::int64_t object_id) {
  owner_of(type, object_id);
  bool removed = likes_.remove(type, object_id, user);
  if (removed && type == ContentType::Tweet) tweets_.forget(object_id);
  return removed;
}

std::vector<LikeView> LikeService::views(const std::vector<TimelineItem>& rows) {
  std::vector<UserId> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  auto users = users_.summaries(ids);
  std::vector<LikeView> out;
  for (const auto& r : rows) {
    auto u = users.find(r.id);
    if (u != users.end()) out.push_back({u->second, r.created_at});
  }
  return out;
}

// Like the other lists, an unknown object is an empty page, not an error.
Page<LikeView> LikeService::list(ContentType type, std::int64_t object_id,
                                 const PageRequest& page) {
  auto cut = cut_page(likes_.list(type, object_id, page.lookahead_range()), page);
  return {views(cut.items), cut.has_next_page};
}

std::vector<LikeView> LikeService::recent(ContentType type, std::int64_t object_id,
                                          std::size_t limit) {
  return views(likes_.list(type, object_id, TimeRange{std::nullopt, std::nullopt, limit}));
}

}  // namespace chirp::domain
