// `chirp backfill` and `chirp verify` (domain/storage_sync.hpp) over in-memory row stores, with the
// races they guard against played by stores that change between a list read and its recheck.
#include "domain/storage_sync.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/time.hpp"

namespace chirp::testing {
namespace {

using namespace chirp::domain;

constexpr Micros kStart = 1'800'000'000'000'000;  // the run's started_at
constexpr Micros kOld = kStart - 1'000'000;       // rows written before the run

using Pair = std::pair<UserId, UserId>;
using FriendshipMap = std::map<Pair, Micros>;

struct MapFriendshipRows : FriendshipRows {
  FriendshipMap rows;
  // Called at the start of find(from, to): a write landing between a list read and its recheck.
  std::function<void(MapFriendshipRows&, UserId, UserId)> before_find;
  std::vector<std::pair<Pair, std::optional<Micros>>> erased;  // erase calls, as made

  std::vector<Friendship> followings_of(UserId from) override {
    std::vector<Friendship> out;
    for (const auto& [pair, at] : rows)
      if (pair.first == from) out.push_back({pair.first, pair.second, at});
    return out;
  }
  std::vector<Friendship> followers_of(UserId to) override {
    std::vector<Friendship> out;
    for (const auto& [pair, at] : rows)
      if (pair.second == to) out.push_back({pair.first, pair.second, at});
    return out;
  }
  std::optional<Friendship> find(UserId from, UserId to) override {
    if (before_find) before_find(*this, from, to);
    auto it = rows.find({from, to});
    if (it == rows.end()) return std::nullopt;
    return Friendship{from, to, it->second};
  }
  void put(const Friendship& f) override { rows[{f.from_user_id, f.to_user_id}] = f.created_at; }
  void erase(UserId from, UserId to, std::optional<Micros> created_at) override {
    erased.push_back({{from, to}, created_at});
    auto it = rows.find({from, to});
    if (it != rows.end() && (!created_at || *created_at == it->second)) rows.erase(it);
  }
};

using FeedKey = std::pair<UserId, TweetId>;

struct MapNewsfeedRows : NewsfeedRows {
  std::map<FeedKey, FeedEntry> rows;
  std::function<void(MapNewsfeedRows&, UserId, TweetId)> before_find;

  std::vector<FeedEntry> entries_of(UserId user) override {
    std::vector<FeedEntry> out;
    for (const auto& [key, e] : rows)
      if (key.first == user) out.push_back(e);
    return out;
  }
  std::optional<FeedEntry> find(UserId user, TweetId tweet) override {
    if (before_find) before_find(*this, user, tweet);
    auto it = rows.find({user, tweet});
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::vector<FeedEntry>& entries) override {
    for (const FeedEntry& e : entries) rows.emplace(FeedKey{e.user_id, e.tweet_id}, e);
  }
  void erase(UserId user, TweetId tweet) override { rows.erase({user, tweet}); }
};

// A store whose lists show stale rows on their first read only (a dual write in flight).
struct FlakyFriendshipRows final : MapFriendshipRows {
  std::map<UserId, Friendship> stale_following;  // user → extra row on 1st followings_of(user)
  std::map<UserId, Friendship> stale_follower;   // user → extra row on 1st followers_of(user)
  std::vector<Friendship> followings_of(UserId from) override {
    auto out = MapFriendshipRows::followings_of(from);
    if (auto node = stale_following.extract(from)) out.push_back(node.mapped());
    return out;
  }
  std::vector<Friendship> followers_of(UserId to) override {
    auto out = MapFriendshipRows::followers_of(to);
    if (auto node = stale_follower.extract(to)) out.push_back(node.mapped());
    return out;
  }
};

struct FlakyNewsfeedRows final : MapNewsfeedRows {
  std::map<UserId, FeedEntry> stale;  // user → extra entry on the first entries_of(user)
  std::vector<FeedEntry> entries_of(UserId user) override {
    auto out = MapNewsfeedRows::entries_of(user);
    if (auto node = stale.extract(user)) out.push_back(node.mapped());
    return out;
  }
};

// Hooks over the users `ids`, served `page` at a time (at most the limit asked for), recording the
// pages served, the checkpoints, progress reports and report lines.
struct SyncRun {
  std::vector<UserId> ids;
  std::size_t page = 1000;
  std::vector<UserId> asked_after;        // `after` of every user_ids_after call
  std::vector<UserId> page_ends;          // last id of every non-empty page served
  std::vector<UserId> checkpoints;
  std::vector<SyncProgress> progress;
  std::vector<std::string> lines;
  SyncHooks hooks;

  SyncRun(const SyncRun&) = delete;  // the hooks point at this run
  SyncRun& operator=(const SyncRun&) = delete;
  explicit SyncRun(std::vector<UserId> users) : ids(std::move(users)) {
    hooks.user_ids_after = [this](UserId after, std::size_t limit) {
      asked_after.push_back(after);
      std::vector<UserId> out;
      for (UserId id : ids)
        if (id > after && out.size() < std::min(limit, page)) out.push_back(id);
      if (!out.empty()) page_ends.push_back(out.back());
      return out;
    };
    hooks.total_users = static_cast<std::int64_t>(ids.size());
    hooks.checkpoint = [this](UserId last) { checkpoints.push_back(last); };
    hooks.progress = [this](const SyncProgress& p) { progress.push_back(p); };
    hooks.report = [this](const std::string& line) { lines.push_back(line); };
    hooks.started_at = kStart;
    hooks.recheck_millis = 0;
  }
};

std::vector<UserId> users(UserId from, UserId to) {
  std::vector<UserId> out;
  for (UserId id = from; id <= to; ++id) out.push_back(id);
  return out;
}

// The line that holds every one of `parts`, or "" (with a failure) when none or several do.
std::string line_with(const std::vector<std::string>& lines,
                      std::initializer_list<std::string> parts) {
  std::vector<std::string> found;
  for (const std::string& line : lines) {
    if (std::all_of(parts.begin(), parts.end(),
                    [&](const std::string& part) { return line.find(part) != std::string::npos; })) {
      found.push_back(line);
    }
  }
  std::string wanted;
  for (const std::string& part : parts) wanted += "[" + part + "]";
  EXPECT_EQ(found.size(), 1u) << "lines holding " << wanted;
  return found.size() == 1 ? found.front() : "";
}

std::string iso(Micros at) { return format_iso8601(at); }

// ---------------------------------------------------------------------------- copy_friendships

TEST(CopyFriendshipsSyncTest, MakesTheTargetEqualAndIsIdempotent) {
  MapFriendshipRows source, target;
  source.rows = {{{1, 2}, kOld}, {{1, 3}, kOld + 1}, {{2, 1}, kOld + 2}, {{3, 1}, kOld + 3}};
  target.rows = {
      {{1, 2}, kOld},            // equal
      {{1, 3}, kOld + 9},        // another time: replaced
      {{1, 4}, kOld + 4},        // only the target, older than the run: removed
      {{2, 5}, kStart + 10},     // only the target, newer than the run (a dual write): kept
      {{4, 5}, kStart},          // only the target, written as the run started: kept
  };                             // (2, 1) and (3, 1) are missing: copied
  SyncRun run(users(1, 5));
  const SyncProgress done = copy_friendships(source, target, run.hooks);

  FriendshipMap expected = source.rows;
  expected[{2, 5}] = kStart + 10;
  expected[{4, 5}] = kStart;
  EXPECT_EQ(target.rows, expected);
  EXPECT_EQ(done.users, 5);
  EXPECT_EQ(done.total_users, 5);
  EXPECT_EQ(done.copied, 3);
  EXPECT_EQ(done.removed, 1);
  EXPECT_EQ(done.differences, 0);
  ASSERT_FALSE(run.progress.empty());
  EXPECT_EQ(run.progress.back().users, 5);
  EXPECT_EQ(run.progress.back().copied, 3);
  EXPECT_EQ(run.progress.back().removed, 1);

  SyncRun again(users(1, 5));
  const SyncProgress second = copy_friendships(source, target, again.hooks);
  EXPECT_EQ(target.rows, expected);
  EXPECT_EQ(second.copied, 0);
  EXPECT_EQ(second.removed, 0);
  EXPECT_EQ(second.users, 5);
}

TEST(CopyFriendshipsSyncTest, SourceUnchangedAndEmptyTargetFilled) {
  MapFriendshipRows source, target;
  source.rows = {{{1, 2}, kOld}, {{2, 3}, kOld + 1}, {{3, 1}, kOld + 2}};
  const FriendshipMap before = source.rows;
  SyncRun run(users(1, 3));
  EXPECT_EQ(copy_friendships(source, target, run.hooks).copied, 3);
  EXPECT_EQ(target.rows, before);
  EXPECT_EQ(source.rows, before);
}

TEST(CopyFriendshipsSyncTest, UnfollowBetweenListAndRecheckUndoesTheCopy) {
  MapFriendshipRows source, target;
  source.rows = {{{1, 2}, kOld}, {{1, 3}, kOld + 1}};
  // 1 unfollows 2 right after the source's list was read.
  source.before_find = [](MapFriendshipRows& self, UserId from, UserId to) {
    if (from == 1 && to == 2) self.rows.erase({1, 2});
  };
  SyncRun run(users(1, 3));
  copy_friendships(source, target, run.hooks);
  EXPECT_EQ(target.rows, (FriendshipMap{{{1, 3}, kOld + 1}}));
}

TEST(CopyFriendshipsSyncTest, UnfollowBetweenListAndRecheckUndoesTheReplacement) {
  MapFriendshipRows source, target;
  source.rows = {{{1, 2}, kOld}};
  target.rows = {{{1, 2}, kOld - 5}};  // another time: the copy replaces it...
  source.before_find = [](MapFriendshipRows& self, UserId, UserId) { self.rows.clear(); };
  SyncRun run(users(1, 2));
  copy_friendships(source, target, run.hooks);
  EXPECT_TRUE(target.rows.empty());  // ...and the unfollow removes it
}

TEST(CopyFriendshipsSyncTest, RefollowBetweenListAndRecheckIsCopiedNotRemoved) {
  MapFriendshipRows source, target;
  target.rows = {{{1, 2}, kOld}};  // an old row the source's list lacks...
  // ...because 1 followed 2 again just after the list was read.
  source.before_find = [](MapFriendshipRows& self, UserId from, UserId to) {
    if (from == 1 && to == 2) self.rows[{1, 2}] = kOld + 77;
  };
  SyncRun run(users(1, 2));
  copy_friendships(source, target, run.hooks);
  EXPECT_EQ(target.rows, (FriendshipMap{{{1, 2}, kOld + 77}}));
}

TEST(CopyFriendshipsSyncTest, RemovesAnOldTargetRowOnlyAtTheTimeItSaw) {
  MapFriendshipRows source, target;
  target.rows = {{{1, 2}, kOld}};
  SyncRun run(users(1, 2));
  EXPECT_EQ(copy_friendships(source, target, run.hooks).removed, 1);
  EXPECT_TRUE(target.rows.empty());
  // A conditional erase: a dual write replacing the row meanwhile would survive it.
  ASSERT_EQ(target.erased.size(), 1u);
  EXPECT_EQ(target.erased[0].first, (Pair{1, 2}));
  EXPECT_EQ(target.erased[0].second, std::optional<Micros>(kOld));
}

TEST(CopyFriendshipsSyncTest, CheckpointsTheLastUserOfEveryPageAndReportsProgress) {
  MapFriendshipRows source, target;
  for (UserId user = 1; user <= 7; ++user) source.rows[{user, user % 7 + 1}] = kOld + user;
  SyncRun run(users(1, 7));
  run.page = 3;
  const SyncProgress done = copy_friendships(source, target, run.hooks);
  EXPECT_EQ(target.rows, source.rows);
  EXPECT_EQ(run.page_ends, (std::vector<UserId>{3, 6, 7}));
  EXPECT_EQ(run.checkpoints, run.page_ends);
  EXPECT_EQ(done.users, 7);
  EXPECT_EQ(done.copied, 7);
  ASSERT_GE(run.progress.size(), 3u);  // every page (here every 3 users) and at the end
  EXPECT_EQ(run.progress.front().users, 3);
  EXPECT_EQ(run.progress.back().users, 7);
  EXPECT_EQ(run.progress.back().copied, 7);
  EXPECT_EQ(run.progress.back().total_users, 7);
}

TEST(CopyFriendshipsSyncTest, ResumesAfterTheCheckpoint) {
  MapFriendshipRows source, target;
  source.rows = {{{1, 2}, kOld}, {{3, 1}, kOld + 1}, {{4, 1}, kOld + 2}};
  SyncRun run(users(1, 4));
  run.hooks.resume_after = 3;
  const SyncProgress done = copy_friendships(source, target, run.hooks);
  EXPECT_EQ(target.rows, (FriendshipMap{{{4, 1}, kOld + 2}}));  // users 1..3 were done before
  ASSERT_FALSE(run.asked_after.empty());
  EXPECT_EQ(run.asked_after.front(), 3);
  EXPECT_EQ(done.users, 1);
  EXPECT_EQ(run.checkpoints, (std::vector<UserId>{4}));
}

// --------------------------------------------------------------------------------- copy_feeds

FeedEntry entry(UserId user, TweetId tweet, UserId author, Micros at) {
  return FeedEntry{user, tweet, author, at};
}

std::map<FeedKey, FeedEntry> feed(std::initializer_list<FeedEntry> entries) {
  std::map<FeedKey, FeedEntry> out;
  for (const FeedEntry& e : entries) out[{e.user_id, e.tweet_id}] = e;
  return out;
}

// A feed as comparable values (FeedEntry has no operator==).
std::map<FeedKey, std::tuple<UserId, TweetId, UserId, Micros>> values(
    const std::map<FeedKey, FeedEntry>& rows) {
  std::map<FeedKey, std::tuple<UserId, TweetId, UserId, Micros>> out;
  for (const auto& [key, e] : rows) out[key] = {e.user_id, e.tweet_id, e.author_id, e.created_at};
  return out;
}

TEST(CopyFeedsSyncTest, MakesTheTargetEqualAndIsIdempotent) {
  MapNewsfeedRows source, target;
  source.rows = feed({entry(1, 10, 5, kOld), entry(1, 11, 5, kOld + 1), entry(2, 10, 5, kOld),
                      entry(3, 12, 6, kOld + 2)});
  target.rows = feed({
      entry(1, 10, 5, kOld),      // equal
      entry(1, 11, 9, kOld + 8),  // another author and time: replaced
      entry(2, 13, 6, kOld + 3),  // only the target: removed
  });                             // (2, 10) and (3, 12) are missing: copied
  SyncRun run(users(1, 3));
  const SyncProgress done = copy_feeds(source, target, run.hooks);
  EXPECT_EQ(values(target.rows), values(source.rows));
  EXPECT_EQ(done.users, 3);
  EXPECT_EQ(done.copied, 3);
  EXPECT_EQ(done.removed, 1);
  ASSERT_FALSE(run.progress.empty());
  EXPECT_EQ(run.progress.back().copied, 3);

  SyncRun again(users(1, 3));
  const SyncProgress second = copy_feeds(source, target, again.hooks);
  EXPECT_EQ(values(target.rows), values(source.rows));
  EXPECT_EQ(second.copied, 0);
  EXPECT_EQ(second.removed, 0);
}

// storage_sync.hpp: "a row only the target holds is removed only when it is older than the run's
// start (newer rows come from dual writes the source will also show)".
TEST(CopyFeedsSyncTest, KeepsTargetOnlyEntriesNewerThanTheRun) {
  MapNewsfeedRows source, target;
  target.rows = feed({entry(1, 20, 5, kStart + 10)});
  SyncRun run(users(1, 1));
  copy_feeds(source, target, run.hooks);
  EXPECT_EQ(values(target.rows), values(feed({entry(1, 20, 5, kStart + 10)})));
}

TEST(CopyFeedsSyncTest, DeletionBetweenListAndRecheckUndoesTheCopy) {
  MapNewsfeedRows source, target;
  source.rows = feed({entry(1, 10, 5, kOld), entry(1, 11, 5, kOld + 1)});
  // Tweet 10 is deleted right after the source's list was read.
  source.before_find = [](MapNewsfeedRows& self, UserId user, TweetId tweet) {
    if (tweet == 10) self.rows.erase({user, tweet});
  };
  SyncRun run(users(1, 1));
  const SyncProgress done = copy_feeds(source, target, run.hooks);
  EXPECT_EQ(values(target.rows), values(feed({entry(1, 11, 5, kOld + 1)})));
  EXPECT_EQ(done.copied, 1);
}

TEST(CopyFeedsSyncTest, EntryAddedBetweenListAndRecheckIsNotRemoved) {
  MapNewsfeedRows source, target;
  target.rows = feed({entry(1, 10, 5, kOld)});  // the source's list lacks it...
  // ...because its fan-out reached the source just after the list was read.
  source.before_find = [](MapNewsfeedRows& self, UserId user, TweetId tweet) {
    self.rows[{user, tweet}] = entry(user, tweet, 5, kOld);
  };
  SyncRun run(users(1, 1));
  const SyncProgress done = copy_feeds(source, target, run.hooks);
  EXPECT_EQ(values(target.rows), values(feed({entry(1, 10, 5, kOld)})));
  EXPECT_EQ(done.removed, 0);
}

TEST(CopyFeedsSyncTest, CheckpointsResumesAndReportsProgress) {
  MapNewsfeedRows source, target;
  for (UserId user = 1; user <= 5; ++user) {
    source.rows[{user, 100 + user}] = entry(user, 100 + user, 9, kOld + user);
  }
  SyncRun run(users(1, 5));
  run.page = 2;
  run.hooks.resume_after = 1;
  const SyncProgress done = copy_feeds(source, target, run.hooks);
  auto expected = source.rows;
  expected.erase({1, 101});  // user 1 was done by the interrupted run
  EXPECT_EQ(values(target.rows), values(expected));
  EXPECT_EQ(run.asked_after.front(), 1);
  EXPECT_EQ(run.checkpoints, (std::vector<UserId>{3, 5}));
  EXPECT_EQ(done.users, 4);
  EXPECT_EQ(done.copied, 4);
  ASSERT_FALSE(run.progress.empty());
  EXPECT_EQ(run.progress.back().users, 4);
  EXPECT_EQ(run.progress.back().total_users, 5);
}

// ------------------------------------------------------------------------ compare_friendships

TEST(CompareFriendshipsSyncTest, ReportsEveryDifferenceOnBothSidesOfBothLists) {
  MapFriendshipRows sql, kv;
  sql.rows = {{{1, 2}, kOld}, {{1, 3}, kOld + 1}, {{3, 1}, kOld + 2}};
  kv.rows = {{{1, 2}, kOld}, {{1, 3}, kOld + 5}, {{2, 1}, kOld + 3}};
  SyncRun run(users(1, 3));
  const SyncProgress done = compare_friendships(sql, kv, run.hooks);
  // (1, 3) differs, (3, 1) only in sql, (2, 1) only in kv: each once as a following of its
  // follower and once as a follower of the followed user.
  EXPECT_EQ(done.differences, 6);
  EXPECT_EQ(done.users, 3);
  ASSERT_EQ(run.lines.size(), 6u);
  // followings
  line_with(run.lines, {"1 follows 3:", "sql has " + iso(kOld + 1), "kv has " + iso(kOld + 5)});
  line_with(run.lines, {"3 follows 1:", "sql has " + iso(kOld + 2), "kv has none"});
  line_with(run.lines, {"2 follows 1:", "sql has none", "kv has " + iso(kOld + 3)});
  // followers
  line_with(run.lines, {"follower of 3: 1:", "sql has " + iso(kOld + 1), "kv has " + iso(kOld + 5)});
  line_with(run.lines, {"follower of 1: 3:", "sql has " + iso(kOld + 2), "kv has none"});
  line_with(run.lines, {"follower of 1: 2:", "sql has none", "kv has " + iso(kOld + 3)});
  // Nothing changed.
  EXPECT_EQ(sql.rows.size(), 3u);
  EXPECT_EQ(kv.rows.size(), 3u);
}

TEST(CompareFriendshipsSyncTest, EqualStoresReportNothing) {
  MapFriendshipRows sql, kv;
  sql.rows = {{{1, 2}, kOld}, {{2, 1}, kOld + 1}};
  kv.rows = sql.rows;
  SyncRun run(users(1, 2));
  const SyncProgress done = compare_friendships(sql, kv, run.hooks);
  EXPECT_EQ(done.differences, 0);
  EXPECT_TRUE(run.lines.empty());
  EXPECT_EQ(done.users, 2);
}

TEST(CompareFriendshipsSyncTest, DifferenceGoneOnTheRecheckIsNotReported) {
  MapFriendshipRows sql;
  FlakyFriendshipRows kv;
  sql.rows = {{{1, 2}, kOld}};
  kv.rows = sql.rows;
  kv.stale_following[1] = {1, 3, kOld + 1};  // a dual write in flight on the first read
  kv.stale_follower[2] = {4, 2, kOld + 2};
  SyncRun run(users(1, 4));
  const SyncProgress done = compare_friendships(sql, kv, run.hooks);
  EXPECT_TRUE(kv.stale_following.empty() && kv.stale_follower.empty()) << "both were read";
  EXPECT_EQ(done.differences, 0);
  EXPECT_TRUE(run.lines.empty()) << run.lines.front();
}

TEST(CompareFriendshipsSyncTest, MaxReportedCapsTheLinesNotTheCount) {
  MapFriendshipRows sql, kv;
  for (UserId user = 1; user <= 5; ++user) sql.rows[{user, user + 10}] = kOld + user;
  SyncRun run(users(1, 15));
  run.hooks.max_reported = 3;
  const SyncProgress done = compare_friendships(sql, kv, run.hooks);
  EXPECT_EQ(done.differences, 10);  // 5 followings + 5 followers
  EXPECT_EQ(run.lines.size(), 3u);
}

// ------------------------------------------------------------------------------ compare_feeds

TEST(CompareFeedsSyncTest, ReportsMissingExtraAndDifferentEntries) {
  MapNewsfeedRows sql, kv;
  sql.rows = feed({entry(1, 10, 5, kOld), entry(1, 11, 5, kOld + 1), entry(2, 12, 6, kOld + 2)});
  kv.rows = feed({entry(1, 10, 5, kOld), entry(1, 11, 7, kOld + 1), entry(2, 13, 6, kOld + 3)});
  SyncRun run(users(1, 2));
  run.hooks.first_name = "mysql";
  run.hooks.second_name = "hbase";
  const SyncProgress done = compare_feeds(sql, kv, run.hooks);
  EXPECT_EQ(done.differences, 3);
  ASSERT_EQ(run.lines.size(), 3u);
  line_with(run.lines, {"feed of 1", "tweet 11", "mysql has author 5", "hbase has author 7"});
  line_with(run.lines, {"feed of 2", "tweet 12", "mysql has author 6 at " + iso(kOld + 2),
                        "hbase has none"});
  line_with(run.lines, {"feed of 2", "tweet 13", "mysql has none",
                        "hbase has author 6 at " + iso(kOld + 3)});
}

TEST(CompareFeedsSyncTest, DifferentTimeAloneIsADifference) {
  MapNewsfeedRows sql, kv;
  sql.rows = feed({entry(1, 10, 5, kOld)});
  kv.rows = feed({entry(1, 10, 5, kOld + 1)});
  SyncRun run(users(1, 1));
  EXPECT_EQ(compare_feeds(sql, kv, run.hooks).differences, 1);
  EXPECT_EQ(run.lines.size(), 1u);
}

TEST(CompareFeedsSyncTest, DifferenceGoneOnTheRecheckIsNotReported) {
  MapNewsfeedRows sql;
  FlakyNewsfeedRows kv;
  sql.rows = feed({entry(1, 10, 5, kOld)});
  kv.rows = sql.rows;
  kv.stale[1] = entry(1, 11, 5, kOld + 1);
  SyncRun run(users(1, 1));
  const SyncProgress done = compare_feeds(sql, kv, run.hooks);
  EXPECT_TRUE(kv.stale.empty()) << "the stale entry was read";
  EXPECT_EQ(done.differences, 0);
  EXPECT_TRUE(run.lines.empty());
}

TEST(CompareFeedsSyncTest, MaxReportedCapsTheLinesNotTheCount) {
  MapNewsfeedRows sql, kv;
  for (UserId user = 1; user <= 4; ++user) {
    sql.rows[{user, 1}] = entry(user, 1, 9, kOld);
    kv.rows[{user, 2}] = entry(user, 2, 9, kOld);
  }
  SyncRun run(users(1, 4));
  run.hooks.max_reported = 5;
  const SyncProgress done = compare_feeds(sql, kv, run.hooks);
  EXPECT_EQ(done.differences, 8);
  EXPECT_EQ(run.lines.size(), 5u);
  EXPECT_EQ(run.progress.back().differences, 8);
}

}  // namespace
}  // namespace chirp::testing
