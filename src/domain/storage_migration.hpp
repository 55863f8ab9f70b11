#pragma once
// Friendships and news feeds during their move from SQL to the wide-column store (DESIGN §6),
// routed by gatekeeper switches read on every call (so a change applies within seconds, without a
// restart). For a table `t` (friendship, newsfeed):
//   t_kv_only    on (100%): the wide-column store is the primary store; SQL is no longer written.
//   t_dual_write on: every write also goes to the other store (SQL primary → mirrored into the
//                wide-column store; with t_kv_only on, the wide-column store is mirrored into SQL,
//                which is how a rollback keeps both stores whole while `chirp backfill --reverse`
//                runs).
//   t_read_kv    (percent and whitelist): reads of a user in the switch come from the wide-column
//                store, while dual writes keep it complete; with t_kv_only on, every read does.
// The primary store decides (duplicate follows, times, counters); a failed mirror write is logged
// and counted, never failed to the client: `chirp verify` finds and `chirp backfill` repairs it.
#include <atomic>
#include <cstdint>
#include <string_view>

#include "domain/migration_rows.hpp"
#include "domain/social_repositories.hpp"
#include "domain/switches.hpp"

namespace chirp::domain {

// The switch names of one migrating table.
struct MigrationSwitches {
  std::string_view dual_write;
  std::string_view read_kv;
  std::string_view kv_only;
};
inline constexpr MigrationSwitches kFriendshipSwitches{
    switches::kFriendshipDualWrite, switches::kFriendshipReadKv, switches::kFriendshipKvOnly};
inline constexpr MigrationSwitches kNewsfeedSwitches{
    switches::kNewsfeedDualWrite, switches::kNewsfeedReadKv, switches::kNewsfeedKvOnly};

// Which stores a call uses right now.
class MigrationRoute {
 public:
  MigrationRoute(Switches& switches, MigrationSwitches names)
      : switches_(switches), names_(names) {}
  bool kv_primary() { return switches_.is_on(names_.kv_only); }
  bool mirror() { return switches_.is_on(names_.dual_write); }
  // Reads about `user` come from the wide-column store.
  bool read_kv(UserId user) {
    if (kv_primary()) return true;
    return mirror() && switches_.is_in(names_.read_kv, user);
  }
  // Runs a mirror write; logs and counts its failure instead of throwing.
  template <class Write>
  void mirror_write(const char* what, Write&& write) noexcept;
  std::uint64_t mirror_failures() const { return mirror_failures_.load(); }

 private:
  void log_mirror_failure(const char* what) noexcept;
  Switches& switches_;
  MigrationSwitches names_;
  std::atomic<std::uint64_t> mirror_failures_{0};
};

template <class Write>
void MigrationRoute::mirror_write(const char* what, Write&& write) noexcept {
  try {
    write();
  } catch (...) {
    log_mirror_failure(what);
  }
}

// A FriendshipRepository over both stores. `kv_counting` counts follows itself (it is primary when
// friendship_kv_only is on); `kv_rows` and `sql_rows` write rows without counting (mirrors).
struct FriendshipStores {
  FriendshipRepository& sql;
  FriendshipRows& sql_rows;
  FriendshipRepository& kv_counting;
  FriendshipRows& kv_rows;
};

class MigratingFriendshipRepository final : public FriendshipRepository {
 public:
  MigratingFriendshipRepository(FriendshipStores stores, Switches& switches)
      : s_(stores), route_(switches, kFriendshipSwitches) {}

  std::optional<Friendship> create(UserId from, UserId to, Micros created_at) override;
  bool remove(UserId from, UserId to) override;
  bool exists(UserId from, UserId to) override;
  std::vector<UserId> followed_among(UserId from, const std::vector<UserId>& candidates) override;
  std::vector<UserId> followers_among(UserId to, const std::vector<UserId>& candidates) override;
  std::vector<TimelineItem> followers(UserId to, const TimeRange& range) override;
  std::vector<TimelineItem> followings(UserId from, const TimeRange& range) override;
  std::vector<UserId> follower_ids_after(UserId to, UserId after_id, std::size_t limit) override;

  std::uint64_t mirror_failures() const { return route_.mirror_failures(); }

 private:
  FriendshipRepository& reader(UserId user) {
    return route_.read_kv(user) ? s_.kv_counting : s_.sql;
  }
  FriendshipStores s_;
  MigrationRoute route_;
};

class MigratingNewsfeedRepository final : public NewsfeedRepository {
 public:
  MigratingNewsfeedRepository(NewsfeedRepository& sql, NewsfeedRepository& kv, Switches& switches)
      : sql_(sql), kv_(kv), route_(switches, kNewsfeedSwitches) {}

  void add(const std::vector<FeedEntry>& entries) override;
  std::vector<TimelineItem> list(UserId user, const TimeRange& range) override;
  void remove_tweet(TweetId tweet) override;
  void remove_author(UserId user, UserId author) override;

  std::uint64_t mirror_failures() const { return route_.mirror_failures(); }

 private:
  // Runs `write` on the primary store (throwing) and, with dual writes on, on the other (logged).
  template <class Write>
  void write_both(const char* what, Write&& write);
  NewsfeedRepository& sql_;
  NewsfeedRepository& kv_;
  MigrationRoute route_;
};

}  // namespace chirp::domain
