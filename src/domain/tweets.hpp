#pragma once
// Tweets (SPEC §5): post with photos, list a user's tweets, read, edit and delete.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/caches.hpp"
#include "domain/jobs.hpp"
#include "domain/media_store.hpp"
#include "domain/pagination.hpp"
#include "domain/social_repositories.hpp"
#include "domain/timeline_reader.hpp"
#include "domain/tweet_loader.hpp"

namespace chirp::domain {

inline constexpr std::size_t kTweetMinLength = 6;
inline constexpr std::size_t kTweetMaxLength = 140;
inline constexpr std::size_t kMaxPhotos = 9;
inline constexpr std::size_t kMaxPhotoBytes = 10 * 1024 * 1024;

struct TweetDraft {
  std::string content;                   // trimmed
  std::vector<std::string> photo_bytes;  // uploaded files, in order
};

// Messages for `content` (empty when valid): 6–140 code points, not blank.
std::vector<std::string> tweet_content_errors(std::string_view content);

struct TweetDependencies {
  TweetRepository& tweets;
  NewsfeedRepository& newsfeeds;
  TimelineCache& timelines;
  TweetLoader& loader;
  MediaStore& media;
  JobQueue& jobs;
  // Called after a transaction wrote to the outbox, so its relay/runner picks the row up at once.
  std::function<void()> outbox_written;
};

class TweetService {
 public:
  explicit TweetService(TweetDependencies deps) : d_(std::move(deps)), reader_(d_.timelines) {}

  // ValidationError on content or files; nothing is stored then.
  TweetView create(UserId author, const TweetDraft& draft);
  Page<TweetView> list_by_user(UserId user, const PageRequest& page, std::optional<UserId> caller);
  TweetView get(TweetId id, std::optional<UserId> caller);  // NotFound
  // The caller's own tweet: NotFound, PermissionDenied::not_owner.
  TweetView get_owned(TweetId id, UserId caller);
  // NotFound, PermissionDenied::not_owner, ValidationError.
  TweetView update(TweetId id, UserId caller, const std::string& content);
  // NotFound, PermissionDenied::not_owner. The tweet leaves every list and feed at once.
  void remove(TweetId id, UserId caller);

 private:
  Tweet owned_tweet(TweetId id, UserId caller);

  TweetDependencies d_;
  TimelineReader reader_;
};

}  // namespace chirp::domain
