#pragma once
// has_liked for a page through the object cache (domain/cached_flags.hpp): every tweet or comment
// shown to a signed-in user needs it, so a page would otherwise cost a query each time.
#include <optional>
#include <string>
#include <vector>

#include "domain/cached_flags.hpp"
#include "domain/interaction_repositories.hpp"

namespace chirp::domain {

class CachedLikeRepository final : public LikeRepository {
 public:
  CachedLikeRepository(LikeRepository& store, ObjectCache& cache) : store_(store), flags_(cache) {}

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
  // The same, taking the flags already in `fetched` (keys from liked_key) from it.
  std::vector<std::int64_t> liked_among(UserId user, ContentType type,
                                        const std::vector<std::int64_t>& object_ids,
                                        const CacheBatch* fetched);
  // The object-cache key of the flag "`user` liked this object", for a CacheBatch.
  static std::string liked_key(ContentType type, std::int64_t object_id, UserId user);

 private:
  LikeRepository& store_;
  CachedFlags flags_;
};

}  // namespace chirp::domain
