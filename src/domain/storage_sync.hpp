#pragma once
// `chirp backfill` and `chirp verify` (DESIGN §6): make one store's friendships or news feeds equal
// to the other's, or list where they differ — user by user, while the site keeps writing.
//
// Running next to live dual writes, a copy must neither resurrect a row that was just deleted nor
// delete one that was just written. So: a row the target lacks is written, then the source is read
// again and the write undone if the row has gone meanwhile; a row only the target holds is removed
// only when it is older than the run's start (newer rows come from dual writes the source will also
// show) and the source still lacks it. A difference seen by verify is read again after a short
// pause before it is reported, so a dual write in flight is not a difference.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/migration_rows.hpp"

namespace chirp::domain {

struct SyncProgress {
  std::int64_t users = 0;        // users done
  std::int64_t total_users = 0;  // users when the run started
  std::int64_t copied = 0;       // rows written to the target
  std::int64_t removed = 0;      // rows removed from the target
  std::int64_t differences = 0;  // verify: rows that differ
};

struct SyncHooks {
  // Ids of users after `after`, ascending, at most `limit` (the SQL users table).
  std::function<std::vector<UserId>(UserId after, std::size_t limit)> user_ids_after;
  std::int64_t total_users = 0;
  // Where a run resumes: the last user done by an interrupted run (0: from the start), and where
  // to record it. Optional.
  UserId resume_after = 0;
  std::function<void(UserId last_done)> checkpoint;
  // Called every few hundred users and at the end.
  std::function<void(const SyncProgress&)> progress;
  // verify: one line per difference (at most `max_reported` of them).
  std::function<void(const std::string&)> report;
  std::size_t max_reported = 100;
  Micros started_at = 0;
  // verify: how long to wait before reading a difference again, and the stores' names in reports.
  int recheck_millis = 200;
  std::string first_name = "sql";
  std::string second_name = "kv";
};

// backfill: makes `target` hold the friendships `source` holds (compared by each user's
// followings).
SyncProgress copy_friendships(FriendshipRows& source, FriendshipRows& target,
                              const SyncHooks& hooks);
// backfill: makes `target` hold the feed entries `source` holds.
SyncProgress copy_feeds(NewsfeedRows& source, NewsfeedRows& target, const SyncHooks& hooks);
// verify: compares followings and followers of every user.
SyncProgress compare_friendships(FriendshipRows& a, FriendshipRows& b, const SyncHooks& hooks);
SyncProgress compare_feeds(NewsfeedRows& a, NewsfeedRows& b, const SyncHooks& hooks);

}  // namespace chirp::domain
