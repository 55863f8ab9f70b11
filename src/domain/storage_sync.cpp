#include "domain/storage_sync.hpp"

#include <chrono>
#include <map>
#include <thread>

#include "common/time.hpp"

namespace chirp::domain {
namespace {

constexpr std::size_t kUsersPerPage = 500;

// Walks every user (from the checkpoint on), calling `each(user, progress)`.
template <class Each>
SyncProgress for_each_user(const SyncHooks& hooks, Each&& each) {
  SyncProgress progress;
  progress.total_users = hooks.total_users;
  UserId after = hooks.resume_after;
  for (;;) {
    const std::vector<UserId> users = hooks.user_ids_after(after, kUsersPerPage);
    if (users.empty()) break;
    for (UserId user : users) {
      each(user, progress);
      ++progress.users;
    }
    after = users.back();
    if (hooks.checkpoint) hooks.checkpoint(after);
    if (hooks.progress) hooks.progress(progress);
  }
  if (hooks.progress) hooks.progress(progress);
  return progress;
}

std::map<UserId, Micros> by_other(const std::vector<Friendship>& rows, bool followings) {
  std::map<UserId, Micros> out;
  for (const Friendship& f : rows) out[followings ? f.to_user_id : f.from_user_id] = f.created_at;
  return out;
}

std::map<TweetId, FeedEntry> by_tweet(const std::vector<FeedEntry>& rows) {
  std::map<TweetId, FeedEntry> out;
  for (const FeedEntry& e : rows) out[e.tweet_id] = e;
  return out;
}

bool same_entry(const FeedEntry& a, const FeedEntry& b) {
  return a.user_id == b.user_id && a.tweet_id == b.tweet_id && a.author_id == b.author_id &&
         a.created_at == b.created_at;
}

// The lines describing how two maps differ (key → value printed by `show`).
template <class Map, class Show>
std::vector<std::string> differences(const Map& a, const Map& b, const SyncHooks& hooks,
                                     const std::string& what, Show&& show) {
  std::vector<std::string> lines;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end()) {
      lines.push_back(what + " " + std::to_string(key) + ": " + hooks.first_name + " has " +
                      show(value) + ", " + hooks.second_name + " has none");
    } else if (!(show(it->second) == show(value))) {
      lines.push_back(what + " " + std::to_string(key) + ": " + hooks.first_name + " has " +
                      show(value) + ", " + hooks.second_name + " has " + show(it->second));
    }
  }
  for (const auto& [key, value] : b) {
    if (!a.contains(key)) {
      lines.push_back(what + " " + std::to_string(key) + ": " + hooks.first_name + " has none, " +
                      hooks.second_name + " has " + show(value));
    }
  }
  return lines;
}

// Reports the differences `diff()` finds, after reading them again once they persist past a pause.
template <class Diff>
void report_lasting(SyncProgress& progress, const SyncHooks& hooks, Diff&& diff) {
  if (diff().empty()) return;
  std::this_thread::sleep_for(std::chrono::milliseconds(hooks.recheck_millis));
  for (const std::string& line : diff()) {
    if (hooks.report && static_cast<std::size_t>(progress.differences) < hooks.max_reported) {
      hooks.report(line);
    }
    ++progress.differences;
  }
}

std::string show_time(Micros at) {
  return format_iso8601(at);
}
std::string show_entry(const FeedEntry& e) {
  return "author " + std::to_string(e.author_id) + " at " + format_iso8601(e.created_at);
}

}  // namespace

SyncProgress copy_friendships(FriendshipRows& source, FriendshipRows& target,
                              const SyncHooks& hooks) {
  return for_each_user(hooks, [&](UserId user, SyncProgress& progress) {
    const auto wanted = by_other(source.followings_of(user), true);
    const auto held = by_other(target.followings_of(user), true);
    // Brings the target's row of (user, to) to what the source holds now.
    auto settle = [&](UserId to, std::optional<Micros> target_at) {
      const auto now = source.find(user, to);
      if (!now) {
        if (target_at) {
          target.erase(user, to, target_at);
          ++progress.removed;
        }
      } else if (now->created_at != target_at) {
        target.put(*now);
        ++progress.copied;
      }
    };
    for (const auto& [to, at] : held) {
      if (wanted.contains(to) || at >= hooks.started_at) continue;
      settle(to, at);
    }
    for (const auto& [to, at] : wanted) {
      auto it = held.find(to);
      if (it != held.end() && it->second == at) continue;
      target.put({user, to, at});
      ++progress.copied;
      settle(to, at);  // undoes the copy when an unfollow came in between
    }
  });
}

SyncProgress copy_feeds(NewsfeedRows& source, NewsfeedRows& target, const SyncHooks& hooks) {
  return for_each_user(hooks, [&](UserId user, SyncProgress& progress) {
    const auto wanted = by_tweet(source.entries_of(user));
    const auto held = by_tweet(target.entries_of(user));
    for (const auto& [tweet, entry] : held) {
      if (wanted.contains(tweet) || entry.created_at >= hooks.started_at) continue;
      if (!source.find(user, tweet)) {
        target.erase(user, tweet);
        ++progress.removed;
      }
    }
    std::vector<FeedEntry> missing;
    for (const auto& [tweet, entry] : wanted) {
      auto it = held.find(tweet);
      if (it != held.end() && same_entry(it->second, entry)) continue;
      if (it != held.end()) target.erase(user, tweet);  // differs: replace it
      missing.push_back(entry);
    }
    if (missing.empty()) return;
    target.put(missing);
    progress.copied += static_cast<std::int64_t>(missing.size());
    for (const FeedEntry& entry : missing) {
      if (!source.find(user, entry.tweet_id)) {  // deleted meanwhile: undo the copy
        target.erase(user, entry.tweet_id);
        --progress.copied;
      }
    }
  });
}

SyncProgress compare_friendships(FriendshipRows& a, FriendshipRows& b, const SyncHooks& hooks) {
  return for_each_user(hooks, [&](UserId user, SyncProgress& progress) {
    const std::string id = std::to_string(user);
    report_lasting(progress, hooks, [&] {
      return differences(by_other(a.followings_of(user), true),
                         by_other(b.followings_of(user), true), hooks,
                         "friendship " + id + " follows", show_time);
    });
    report_lasting(progress, hooks, [&] {
      return differences(by_other(a.followers_of(user), false),
                         by_other(b.followers_of(user), false), hooks, "follower of " + id + ":",
                         show_time);
    });
  });
}

SyncProgress compare_feeds(NewsfeedRows& a, NewsfeedRows& b, const SyncHooks& hooks) {
  return for_each_user(hooks, [&](UserId user, SyncProgress& progress) {
    report_lasting(progress, hooks, [&] {
      return differences(by_tweet(a.entries_of(user)), by_tweet(b.entries_of(user)), hooks,
                         "feed of " + std::to_string(user) + " tweet", show_entry);
    });
  });
}

}  // namespace chirp::domain
