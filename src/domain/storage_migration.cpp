#include "domain/storage_migration.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace chirp::domain {

void MigrationRoute::log_mirror_failure(const char* what) noexcept {
  mirror_failures_.fetch_add(1);
  try {
    std::string reason = "unknown error";
    try {
      throw;
    } catch (const std::exception& e) {
      reason = e.what();
    } catch (...) {
    }
    spdlog::warn(
        "mirror write ({}) failed: {}; `chirp verify` will show it and `chirp backfill` "
        "repairs it",
        what, reason);
  } catch (...) {
  }
}

std::optional<Friendship> MigratingFriendshipRepository::create(UserId from, UserId to,
                                                                Micros created_at) {
  const bool kv_primary = route_.kv_primary();
  FriendshipRepository& primary = kv_primary ? s_.kv_counting : s_.sql;
  auto created = primary.create(from, to, created_at);
  if (created && route_.mirror()) {
    FriendshipRows& other = kv_primary ? s_.sql_rows : s_.kv_rows;
    route_.mirror_write("follow", [&] { other.put(*created); });
  }
  return created;
}

bool MigratingFriendshipRepository::remove(UserId from, UserId to) {
  const bool kv_primary = route_.kv_primary();
  FriendshipRepository& primary = kv_primary ? s_.kv_counting : s_.sql;
  const bool removed = primary.remove(from, to);
  // Also when the primary had nothing: a row only the other store holds must not outlive it.
  if (route_.mirror()) {
    FriendshipRows& other = kv_primary ? s_.sql_rows : s_.kv_rows;
    route_.mirror_write("unfollow", [&] { other.erase(from, to, std::nullopt); });
  }
  return removed;
}

bool MigratingFriendshipRepository::exists(UserId from, UserId to) {
  return reader(from).exists(from, to);
}

std::vector<UserId> MigratingFriendshipRepository::followed_among(
    UserId from, const std::vector<UserId>& candidates) {
  return reader(from).followed_among(from, candidates);
}

std::vector<UserId> MigratingFriendshipRepository::followers_among(
    UserId to, const std::vector<UserId>& candidates) {
  return reader(to).followers_among(to, candidates);
}

std::vector<TimelineItem> MigratingFriendshipRepository::followers(UserId to,
                                                                   const TimeRange& range) {
  return reader(to).followers(to, range);
}

std::vector<TimelineItem> MigratingFriendshipRepository::followings(UserId from,
                                                                    const TimeRange& range) {
  return reader(from).followings(from, range);
}

std::vector<UserId> MigratingFriendshipRepository::follower_ids_after(UserId to, UserId after_id,
                                                                      std::size_t limit) {
  return reader(to).follower_ids_after(to, after_id, limit);
}

template <class Write>
void MigratingNewsfeedRepository::write_both(const char* what, Write&& write) {
  const bool kv_primary = route_.kv_primary();
  write(kv_primary ? kv_ : sql_);
  if (route_.mirror()) route_.mirror_write(what, [&] { write(kv_primary ? sql_ : kv_); });
}

void MigratingNewsfeedRepository::add(const std::vector<FeedEntry>& entries) {
  write_both("feed add", [&](NewsfeedRepository& store) { store.add(entries); });
}

std::vector<TimelineItem> MigratingNewsfeedRepository::list(UserId user, const TimeRange& range) {
  return (route_.read_kv(user) ? kv_ : sql_).list(user, range);
}

void MigratingNewsfeedRepository::remove_tweet(TweetId tweet) {
  write_both("feed remove tweet", [&](NewsfeedRepository& store) { store.remove_tweet(tweet); });
}

void MigratingNewsfeedRepository::remove_author(UserId user, UserId author) {
  write_both("feed remove author",
             [&](NewsfeedRepository& store) { store.remove_author(user, author); });
}

}  // namespace chirp::domain
