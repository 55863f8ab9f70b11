#pragma once
// has_liked for a page through the object cache: every tweet or comment shown to a signed-in user
// needs it, so a page of 20 would otherwise cost a query each time. One marker per user and object
// ("1" likes, "0" does not). Readers fill missing markers with `add` (kept only when absent) and
// writers `set` them after the store committed, so a fill that read the store before a like or
// unlike committed can never overwrite the writer's marker (the race a plain set would lose).
#include <optional>
#include <vector>

#include "domain/caches.hpp"
#include "domain/interaction_repositories.hpp"

namespace chirp::domain {

class CachedLikeRepository final : public LikeRepository {
 public:
  CachedLikeRepository(LikeRepository& store, ObjectCache& cache) : store_(store), cache_(cache) {}

  std::optional<Result> create(ContentType type, std::int64_t object_id, UserId user,
                               Micros created_at,
                               const std::optional<NewNotification>& notify) override;
  bool remove(ContentType type, std::int64_t object_id, UserId user) override;
  std::vector<TimelineItem> list(ContentType type, std::int64_t object_id,
                                 const TimeRange& range) override {
    return store_.list(type, object_id, range);
  }
  std::vector<std::int64_t> liked_among(UserId user, ContentType type,
                                        const std::vector<std::int64_t>& object_ids) override;

 private:
  // After the store changed: erase first (a lost erase marks the cache for a flush), then set.
  void mark(ContentType type, std::int64_t object_id, UserId user, bool liked);

  LikeRepository& store_;
  ObjectCache& cache_;
};

}  // namespace chirp::domain
