#include "domain/tweets.hpp"

#include "common/errors.hpp"
#include "common/image_type.hpp"
#include "common/text.hpp"
#include "domain/account_rules.hpp"
#include "domain/clock.hpp"
#include "domain/fanout_jobs.hpp"

namespace chirp::domain {
namespace {

std::vector<TweetId> ids_of(const std::vector<TimelineItem>& items) {
  std::vector<TweetId> ids;
  ids.reserve(items.size());
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

// Checks every file before anything is stored: a bad 9th photo must not leave 8 saved ones.
std::vector<ImageType> checked_photo_types(const std::vector<std::string>& photos) {
  if (photos.size() > kMaxPhotos) {
    throw ValidationError("files", "You can only upload at most 9 photos.");
  }
  std::vector<ImageType> types;
  for (const auto& bytes : photos) {
    if (bytes.size() > kMaxPhotoBytes) {
      throw ValidationError("files", "Ensure this file is at most 10 MiB.");
    }
    auto type = sniff_image(bytes);
    if (!type) throw ValidationError("files", "Upload a valid image.");
    types.push_back(*type);
  }
  return types;
}

}  // namespace

std::vector<std::string> tweet_content_errors(std::string_view content) {
  if (content.empty()) return {std::string(kBlank)};
  auto n = code_point_length(content);
  if (n < kTweetMinLength) return {min_length_message(kTweetMinLength)};
  if (n > kTweetMaxLength) return {max_length_message(kTweetMaxLength)};
  return {};
}

TweetView TweetService::create(UserId author, const TweetDraft& draft) {
  FieldErrors errors;
  if (auto messages = tweet_content_errors(draft.content); !messages.empty()) {
    errors.emplace_back("content", std::move(messages));
  }
  std::vector<ImageType> types;
  try {
    types = checked_photo_types(draft.photo_bytes);
  } catch (ValidationError& e) {
    errors.insert(errors.end(), e.errors.begin(), e.errors.end());
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));

  NewTweet tweet{author, draft.content, {}};
  try {
    for (std::size_t i = 0; i < types.size(); ++i) {
      tweet.photos.push_back(d_.media.save("photos", extension_of(types[i]), draft.photo_bytes[i]));
    }
  } catch (...) {
    for (const auto& path : tweet.photos) d_.media.remove(path);
    throw;
  }

  Tweet created;
  try {
    created = d_.tweets.create(tweet, unique_now(), [](const Tweet& t) {
      return jobs::fanout_tweet({t.id, t.user_id, t.created_at});
    });
  } catch (...) {
    for (const auto& path : tweet.photos) d_.media.remove(path);
    throw;
  }
  if (d_.outbox_written) d_.outbox_written();

  // The author sees the tweet at once in their own feed and list (SPEC §5.2); followers get it
  // from the fan-out job, which also re-adds this row idempotently should this step fail.
  TimelineItem item{created.id, created.created_at};
  d_.newsfeeds.add({FeedEntry{author, created.id, author, created.created_at}});
  d_.timelines.add(feed_key(author), item);
  d_.timelines.add(user_tweets_key(author), item);

  auto view = d_.loader.load_one(created.id, author);
  if (!view) throw NotFound();  // deleted in between by a concurrent request
  return *view;
}

Page<TweetView> TweetService::list_by_user(UserId user, const PageRequest& page,
                                           std::optional<UserId> caller) {
  auto items = reader_.read(user_tweets_key(user), page.lookahead_range(),
                            [&](const TimeRange& r) { return d_.tweets.list_by_user(user, r); });
  auto cut = cut_page(std::move(items), page);
  return {d_.loader.load(ids_of(cut.items), caller), cut.has_next_page};
}

TweetView TweetService::get(TweetId id, std::optional<UserId> caller) {
  auto view = d_.loader.load_one(id, caller);
  if (!view) throw NotFound();
  return *view;
}

Tweet TweetService::owned_tweet(TweetId id, UserId caller) {
  auto tweet = d_.tweets.find(id);
  if (!tweet) throw NotFound();
  if (tweet->user_id != caller) throw PermissionDenied::not_owner();
  return *tweet;
}

TweetView TweetService::get_owned(TweetId id, UserId caller) {
  owned_tweet(id, caller);
  return get(id, caller);
}

TweetView TweetService::update(TweetId id, UserId caller, const std::string& content) {
  owned_tweet(id, caller);
  if (auto messages = tweet_content_errors(content); !messages.empty()) {
    throw ValidationError({{"content", std::move(messages)}});
  }
  if (!d_.tweets.update_content(id, content, now_micros())) throw NotFound();
  // Feeds hold ids only, so dropping the cached record is enough for the edit to show everywhere.
  d_.loader.forget(id);
  return get(id, caller);
}

void TweetService::remove(TweetId id, UserId caller) {
  owned_tweet(id, caller);
  auto removed = d_.tweets.remove(id);
  if (!removed) throw NotFound();
  d_.newsfeeds.remove_tweet(id);
  d_.loader.forget(id);
  d_.timelines.remove(user_tweets_key(removed->user_id), id);
  d_.timelines.remove(feed_key(removed->user_id), id);
  for (const auto& path : removed->photos) d_.media.remove(path);
  // Followers' cached feeds are cleaned in the background; until then the loader skips the id.
  d_.jobs.publish(jobs::tweet_deleted({removed->id, removed->user_id, removed->created_at}));
}

}  // namespace chirp::domain
