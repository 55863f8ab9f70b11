// Routing of friendship and news-feed calls between SQL and the wide-column store by the migration
// switches (domain/storage_migration.hpp), against in-memory stores that record every call.
#include "domain/storage_migration.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace chirp::testing {
namespace {

using namespace chirp::domain;

constexpr Micros kT0 = 1'800'000'000'000'000;

// Gatekeepers as the migration sees them: a switch is on at 100%; a user is in it when
// whitelisted or when user % 100 falls under its percent.
struct FakeSwitches final : Switches {
  std::map<std::string, int, std::less<>> percent;
  std::map<std::string, std::set<UserId>, std::less<>> whitelist;

  bool is_on(std::string_view name) override {
    auto it = percent.find(name);
    return it != percent.end() && it->second == 100;
  }
  bool is_in(std::string_view name, UserId user) override {
    if (auto it = whitelist.find(name); it != whitelist.end() && it->second.contains(user)) {
      return true;
    }
    auto it = percent.find(name);
    return it != percent.end() && user % 100 < it->second;
  }
  void set(std::string_view name, int value) { percent[std::string(name)] = value; }
};

// Every call made on any store, in order: "sql.create", "kv.put", ...
using CallLog = std::vector<std::string>;

// One store of friendships: its counting repository and its raw rows over the same data.
struct FakeFriendshipStore final : FriendshipRepository, FriendshipRows {
  FakeFriendshipStore(std::string name, CallLog& log) : name_(std::move(name)), log_(log) {}

  std::map<std::pair<UserId, UserId>, Micros> rows;  // (from, to) → created_at
  Micros create_shift = 0;                           // how far create moves a time (a clash)
  bool down = false;                                 // every call throws: the store is out

  std::optional<Friendship> create(UserId from, UserId to, Micros created_at) override {
    call("create");
    if (rows.contains({from, to})) return std::nullopt;
    rows[{from, to}] = created_at + create_shift;
    return Friendship{from, to, created_at + create_shift};
  }
  bool remove(UserId from, UserId to) override {
    call("remove");
    return rows.erase({from, to}) > 0;
  }
  bool exists(UserId from, UserId to) override {
    call("exists");
    return rows.contains({from, to});
  }
  std::vector<UserId> followed_among(UserId from, const std::vector<UserId>& candidates) override {
    call("followed_among");
    std::vector<UserId> out;
    for (UserId id : candidates)
      if (rows.contains({from, id})) out.push_back(id);
    return out;
  }
  std::vector<UserId> followers_among(UserId to, const std::vector<UserId>& candidates) override {
    call("followers_among");
    std::vector<UserId> out;
    for (UserId id : candidates)
      if (rows.contains({id, to})) out.push_back(id);
    return out;
  }
  std::vector<TimelineItem> followers(UserId to, const TimeRange&) override {
    call("followers");
    std::vector<TimelineItem> out;
    for (const auto& [pair, at] : rows)
      if (pair.second == to) out.push_back({pair.first, at});
    return out;
  }
  std::vector<TimelineItem> followings(UserId from, const TimeRange&) override {
    call("followings");
    std::vector<TimelineItem> out;
    for (const auto& [pair, at] : rows)
      if (pair.first == from) out.push_back({pair.second, at});
    return out;
  }
  std::vector<UserId> follower_ids_after(UserId to, UserId after_id, std::size_t) override {
    call("follower_ids_after");
    std::vector<UserId> out;
    for (const auto& [pair, at] : rows)
      if (pair.second == to && pair.first > after_id) out.push_back(pair.first);
    return out;
  }

  std::vector<Friendship> followings_of(UserId from) override {
    call("followings_of");
    std::vector<Friendship> out;
    for (const auto& [pair, at] : rows)
      if (pair.first == from) out.push_back({pair.first, pair.second, at});
    return out;
  }
  std::vector<Friendship> followers_of(UserId to) override {
    call("followers_of");
    std::vector<Friendship> out;
    for (const auto& [pair, at] : rows)
      if (pair.second == to) out.push_back({pair.first, pair.second, at});
    return out;
  }
  std::optional<Friendship> find(UserId from, UserId to) override {
    call("find");
    auto it = rows.find({from, to});
    if (it == rows.end()) return std::nullopt;
    return Friendship{from, to, it->second};
  }
  void put(const Friendship& f) override {
    call("put");
    rows[{f.from_user_id, f.to_user_id}] = f.created_at;
  }
  void erase(UserId from, UserId to, std::optional<Micros> created_at) override {
    call("erase");
    auto it = rows.find({from, to});
    if (it != rows.end() && (!created_at || *created_at == it->second)) rows.erase(it);
  }

 private:
  void call(const char* what) {
    log_.push_back(name_ + "." + what);
    if (down) throw Unavailable(name_ + " is down");
  }
  std::string name_;
  CallLog& log_;
};

struct FakeFeedStore final : NewsfeedRepository {
  FakeFeedStore(std::string name, CallLog& log) : name_(std::move(name)), log_(log) {}

  std::map<std::pair<UserId, TweetId>, FeedEntry> rows;
  bool down = false;

  void add(const std::vector<FeedEntry>& entries) override {
    call("add");
    for (const FeedEntry& e : entries) rows.emplace(std::pair{e.user_id, e.tweet_id}, e);
  }
  std::vector<TimelineItem> list(UserId user, const TimeRange&) override {
    call("list");
    std::vector<TimelineItem> out;
    for (const auto& [key, e] : rows)
      if (key.first == user) out.push_back({e.tweet_id, e.created_at});
    return out;
  }
  void remove_tweet(TweetId tweet) override {
    call("remove_tweet");
    std::erase_if(rows, [&](const auto& row) { return row.first.second == tweet; });
  }
  void remove_author(UserId user, UserId author) override {
    call("remove_author");
    std::erase_if(rows, [&](const auto& row) {
      return row.first.first == user && row.second.author_id == author;
    });
  }

 private:
  void call(const char* what) {
    log_.push_back(name_ + "." + what);
    if (down) throw Unavailable(name_ + " is down");
  }
  std::string name_;
  CallLog& log_;
};

class MigratingFriendshipTest : public ::testing::Test {
 protected:
  // Calls every read about `user` (as the follower where a read takes one, else as the followed)
  // and returns the stores that answered.
  std::set<std::string> stores_reading(UserId user) {
    log.clear();
    repo.exists(user, 1);
    repo.followed_among(user, {1, 2});
    repo.followings(user, TimeRange{});
    repo.followers(user, TimeRange{});
    repo.followers_among(user, {1, 2});
    repo.follower_ids_after(user, 0, 10);
    std::set<std::string> stores;
    for (const std::string& call : log) stores.insert(call.substr(0, call.find('.')));
    EXPECT_EQ(log.size(), 6u) << "one store call per read";
    return stores;
  }

  CallLog log;
  FakeFriendshipStore sql{"sql", log};
  FakeFriendshipStore kv{"kv", log};
  FakeSwitches switches;
  MigratingFriendshipRepository repo{FriendshipStores{sql, sql, kv, kv}, switches};
};

using Calls = std::vector<std::string>;
using Stores = std::set<std::string>;

TEST_F(MigratingFriendshipTest, AllSwitchesOffWritesAndReadsOnlySql) {
  const auto created = repo.create(1, 2, kT0);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->created_at, kT0);
  EXPECT_TRUE(repo.exists(1, 2));
  EXPECT_EQ(repo.followings(1, TimeRange{}), (std::vector<TimelineItem>{{2, kT0}}));
  EXPECT_TRUE(repo.remove(1, 2));
  EXPECT_EQ(log, (Calls{"sql.create", "sql.exists", "sql.followings", "sql.remove"}));
  EXPECT_EQ(stores_reading(5), Stores{"sql"});
  EXPECT_TRUE(kv.rows.empty());
  EXPECT_EQ(repo.mirror_failures(), 0u);
}

TEST_F(MigratingFriendshipTest, DualWriteBelowHundredPercentIsOff) {
  switches.set("friendship_dual_write", 99);
  switches.set("friendship_read_kv", 100);
  ASSERT_TRUE(repo.create(1, 2, kT0).has_value());
  EXPECT_EQ(log, (Calls{"sql.create"}));
  EXPECT_EQ(stores_reading(1), Stores{"sql"});  // reads from kv need complete dual writes
}

TEST_F(MigratingFriendshipTest, DualWriteMirrorsThePrimarysFriendshipWithItsTime) {
  switches.set("friendship_dual_write", 100);
  sql.create_shift = 3;  // SQL moved the time past a clash: the mirror must hold SQL's time
  const auto created = repo.create(1, 2, kT0);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->created_at, kT0 + 3);
  EXPECT_EQ(log, (Calls{"sql.create", "kv.put"}));
  EXPECT_EQ(sql.rows, (std::map<std::pair<UserId, UserId>, Micros>{{{1, 2}, kT0 + 3}}));
  EXPECT_EQ(kv.rows, sql.rows);
}

TEST_F(MigratingFriendshipTest, DuplicateFollowIsNotMirrored) {
  switches.set("friendship_dual_write", 100);
  sql.rows[{1, 2}] = kT0;
  EXPECT_FALSE(repo.create(1, 2, kT0 + 50).has_value());
  EXPECT_EQ(log, (Calls{"sql.create"}));
  EXPECT_TRUE(kv.rows.empty());
}

TEST_F(MigratingFriendshipTest, UnfollowMirrorsEraseEvenWhenThePrimaryRemovedNothing) {
  switches.set("friendship_dual_write", 100);
  kv.rows[{1, 2}] = kT0;  // a row only the mirror holds (e.g. a lost primary write)
  EXPECT_FALSE(repo.remove(1, 2));
  EXPECT_EQ(log, (Calls{"sql.remove", "kv.erase"}));
  EXPECT_TRUE(kv.rows.empty());

  log.clear();
  sql.rows[{3, 4}] = kT0;
  kv.rows[{3, 4}] = kT0;
  EXPECT_TRUE(repo.remove(3, 4));
  EXPECT_EQ(log, (Calls{"sql.remove", "kv.erase"}));
  EXPECT_TRUE(sql.rows.empty());
  EXPECT_TRUE(kv.rows.empty());
}

TEST_F(MigratingFriendshipTest, UnfollowWithoutDualWriteLeavesKvAlone) {
  kv.rows[{1, 2}] = kT0;
  EXPECT_FALSE(repo.remove(1, 2));
  EXPECT_EQ(log, (Calls{"sql.remove"}));
  EXPECT_EQ(kv.rows.size(), 1u);
}

TEST_F(MigratingFriendshipTest, ReadKvByPercentAndWhitelistOnlyWhileDualWriteIsOn) {
  switches.set("friendship_read_kv", 20);
  switches.whitelist["friendship_read_kv"] = {777};
  // Without dual writes the wide-column store is not complete: nobody reads it.
  for (UserId user : {5, 19, 777}) EXPECT_EQ(stores_reading(user), Stores{"sql"}) << user;

  switches.set("friendship_dual_write", 100);
  for (UserId user : {0, 5, 19, 105, 219, 777}) EXPECT_EQ(stores_reading(user), Stores{"kv"}) << user;
  for (UserId user : {20, 21, 99, 120, 778}) EXPECT_EQ(stores_reading(user), Stores{"sql"}) << user;
}

TEST_F(MigratingFriendshipTest, ReadsRouteByTheUserWhoseListIsRead) {
  switches.set("friendship_dual_write", 100);
  switches.set("friendship_read_kv", 20);
  sql.rows[{5, 50}] = kT0;  // only SQL knows 5 → 50
  kv.rows[{50, 5}] = kT0;   // only kv knows 50 → 5
  // 5 is in the gray release, 50 is not.
  EXPECT_FALSE(repo.exists(5, 50));                          // about 5's followings: kv
  EXPECT_TRUE(repo.followed_among(5, {50}).empty());          // kv
  EXPECT_EQ(repo.followers_among(5, {50}), std::vector<UserId>{50});  // 5's followers: kv
  EXPECT_EQ(repo.follower_ids_after(5, 0, 10), std::vector<UserId>{50});
  EXPECT_FALSE(repo.exists(50, 5));                          // about 50's followings: SQL
  EXPECT_TRUE(repo.followers(50, TimeRange{}).size() == 1);  // 50's followers: SQL
  EXPECT_EQ(repo.followers(50, TimeRange{}).front().id, 5);
}

TEST_F(MigratingFriendshipTest, SwitchChangesApplyOnTheNextCall) {
  switches.whitelist["friendship_read_kv"] = {1};
  EXPECT_EQ(stores_reading(1), Stores{"sql"});
  switches.set("friendship_dual_write", 100);
  EXPECT_EQ(stores_reading(1), Stores{"kv"});
  switches.set("friendship_dual_write", 0);
  EXPECT_EQ(stores_reading(1), Stores{"sql"});
}

TEST_F(MigratingFriendshipTest, KvOnlyMakesTheCountingKvStorePrimaryForWritesAndEveryRead) {
  switches.set("friendship_kv_only", 100);
  kv.create_shift = 2;
  const auto created = repo.create(1, 2, kT0);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->created_at, kT0 + 2);
  EXPECT_FALSE(repo.create(1, 2, kT0).has_value());
  EXPECT_TRUE(repo.remove(1, 2));
  EXPECT_FALSE(repo.remove(1, 2));
  EXPECT_EQ(log, (Calls{"kv.create", "kv.create", "kv.remove", "kv.remove"}));
  EXPECT_TRUE(sql.rows.empty());
  // Every user reads kv, in the read switch or not.
  for (UserId user : {1, 50, 99}) EXPECT_EQ(stores_reading(user), Stores{"kv"}) << user;
}

TEST_F(MigratingFriendshipTest, KvOnlyWithDualWriteMirrorsKvIntoSqlRows) {
  switches.set("friendship_kv_only", 100);
  switches.set("friendship_dual_write", 100);
  kv.create_shift = 4;
  ASSERT_TRUE(repo.create(1, 2, kT0).has_value());
  EXPECT_EQ(log, (Calls{"kv.create", "sql.put"}));
  EXPECT_EQ(sql.rows, (std::map<std::pair<UserId, UserId>, Micros>{{{1, 2}, kT0 + 4}}));

  log.clear();
  EXPECT_FALSE(repo.create(1, 2, kT0).has_value());
  EXPECT_EQ(log, (Calls{"kv.create"}));

  log.clear();
  EXPECT_TRUE(repo.remove(1, 2));
  EXPECT_EQ(log, (Calls{"kv.remove", "sql.erase"}));
  EXPECT_TRUE(sql.rows.empty());
  EXPECT_TRUE(kv.rows.empty());
  EXPECT_EQ(stores_reading(99), Stores{"kv"});
}

TEST_F(MigratingFriendshipTest, FailingMirrorIsCountedAndNeverFailsTheCall) {
  switches.set("friendship_dual_write", 100);
  kv.down = true;
  std::optional<Friendship> created;
  ASSERT_NO_THROW(created = repo.create(1, 2, kT0));
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(sql.rows.size(), 1u);
  EXPECT_EQ(repo.mirror_failures(), 1u);

  bool removed = false;
  ASSERT_NO_THROW(removed = repo.remove(1, 2));
  EXPECT_TRUE(removed);
  EXPECT_TRUE(sql.rows.empty());
  EXPECT_EQ(repo.mirror_failures(), 2u);
}

TEST_F(MigratingFriendshipTest, FailingSqlMirrorUnderKvOnlyIsCountedToo) {
  switches.set("friendship_kv_only", 100);
  switches.set("friendship_dual_write", 100);
  sql.down = true;
  ASSERT_NO_THROW(repo.create(1, 2, kT0));
  EXPECT_EQ(kv.rows.size(), 1u);
  EXPECT_EQ(repo.mirror_failures(), 1u);
}

TEST_F(MigratingFriendshipTest, FailingPrimaryPropagatesAndIsNotMirrored) {
  switches.set("friendship_dual_write", 100);
  sql.down = true;
  EXPECT_THROW(repo.create(1, 2, kT0), Unavailable);
  EXPECT_THROW(repo.remove(1, 2), Unavailable);
  EXPECT_EQ(log, (Calls{"sql.create", "sql.remove"}));
  EXPECT_EQ(repo.mirror_failures(), 0u);

  sql.down = false;
  kv.down = true;
  switches.set("friendship_kv_only", 100);
  log.clear();
  EXPECT_THROW(repo.create(1, 2, kT0), Unavailable);
  EXPECT_THROW(repo.exists(1, 2), Unavailable);
  EXPECT_EQ(log, (Calls{"kv.create", "kv.exists"}));
  EXPECT_EQ(repo.mirror_failures(), 0u);
}

class MigratingNewsfeedTest : public ::testing::Test {
 protected:
  CallLog log;
  FakeFeedStore sql{"sql", log};
  FakeFeedStore kv{"kv", log};
  FakeSwitches switches;
  MigratingNewsfeedRepository repo{sql, kv, switches};

  // Adds two entries, removes a tweet and an author: every kind of write once.
  void write_everything() {
    repo.add({{1, 10, 7, kT0}, {1, 11, 8, kT0 + 1}, {2, 10, 7, kT0}, {2, 12, 8, kT0 + 2}});
    repo.remove_tweet(10);
    repo.remove_author(2, 8);
  }
  static std::map<std::pair<UserId, TweetId>, TweetId> authors_by_entry(const FakeFeedStore& store) {
    std::map<std::pair<UserId, TweetId>, TweetId> out;
    for (const auto& [key, e] : store.rows) out[key] = e.author_id;
    return out;
  }
  const std::map<std::pair<UserId, TweetId>, TweetId> kLeft{{{1, 11}, 8}};
};

TEST_F(MigratingNewsfeedTest, AllSwitchesOffUsesOnlySql) {
  write_everything();
  EXPECT_EQ(repo.list(1, TimeRange{}), (std::vector<TimelineItem>{{11, kT0 + 1}}));
  EXPECT_EQ(log, (Calls{"sql.add", "sql.remove_tweet", "sql.remove_author", "sql.list"}));
  EXPECT_EQ(authors_by_entry(sql), kLeft);
  EXPECT_TRUE(kv.rows.empty());
}

TEST_F(MigratingNewsfeedTest, DualWriteWritesSqlThenKv) {
  switches.set("newsfeed_dual_write", 100);
  write_everything();
  EXPECT_EQ(log, (Calls{"sql.add", "kv.add", "sql.remove_tweet", "kv.remove_tweet",
                        "sql.remove_author", "kv.remove_author"}));
  EXPECT_EQ(authors_by_entry(sql), kLeft);
  EXPECT_EQ(authors_by_entry(kv), kLeft);
}

TEST_F(MigratingNewsfeedTest, KvOnlyWritesOnlyKv) {
  switches.set("newsfeed_kv_only", 100);
  write_everything();
  EXPECT_EQ(log, (Calls{"kv.add", "kv.remove_tweet", "kv.remove_author"}));
  EXPECT_EQ(authors_by_entry(kv), kLeft);
  EXPECT_TRUE(sql.rows.empty());
}

TEST_F(MigratingNewsfeedTest, KvOnlyWithDualWriteWritesKvThenSql) {
  switches.set("newsfeed_kv_only", 100);
  switches.set("newsfeed_dual_write", 100);
  write_everything();
  EXPECT_EQ(log, (Calls{"kv.add", "sql.add", "kv.remove_tweet", "sql.remove_tweet",
                        "kv.remove_author", "sql.remove_author"}));
  EXPECT_EQ(authors_by_entry(sql), kLeft);
  EXPECT_EQ(authors_by_entry(kv), kLeft);
}

TEST_F(MigratingNewsfeedTest, ListRoutesByTheReadSwitch) {
  sql.rows[{5, 1}] = {5, 1, 9, kT0};
  kv.rows[{5, 2}] = {5, 2, 9, kT0};
  switches.set("newsfeed_read_kv", 20);
  switches.whitelist["newsfeed_read_kv"] = {777};
  auto read_from = [&](UserId user) {
    log.clear();
    repo.list(user, TimeRange{});
    return log.at(0);
  };
  EXPECT_EQ(read_from(5), "sql.list");  // dual writes off: kv is not complete
  EXPECT_EQ(read_from(777), "sql.list");

  switches.set("newsfeed_dual_write", 100);
  EXPECT_EQ(repo.list(5, TimeRange{}), (std::vector<TimelineItem>{{2, kT0}}));
  for (UserId user : {0, 5, 119, 777}) EXPECT_EQ(read_from(user), "kv.list") << user;
  for (UserId user : {20, 99, 778}) EXPECT_EQ(read_from(user), "sql.list") << user;

  switches.set("newsfeed_dual_write", 0);
  switches.set("newsfeed_kv_only", 100);
  for (UserId user : {5, 50, 99}) EXPECT_EQ(read_from(user), "kv.list") << user;
}

TEST_F(MigratingNewsfeedTest, FriendshipSwitchesDoNotRouteFeeds) {
  switches.set("friendship_kv_only", 100);
  switches.set("friendship_dual_write", 100);
  write_everything();
  repo.list(1, TimeRange{});
  for (const std::string& call : log) EXPECT_EQ(call.substr(0, 4), "sql.") << call;
}

TEST_F(MigratingNewsfeedTest, FailingMirrorIsCountedAndNeverFailsTheCall) {
  switches.set("newsfeed_dual_write", 100);
  kv.down = true;
  ASSERT_NO_THROW(write_everything());
  EXPECT_EQ(authors_by_entry(sql), kLeft);
  EXPECT_EQ(repo.mirror_failures(), 3u);
}

TEST_F(MigratingNewsfeedTest, FailingPrimaryPropagatesAndIsNotMirrored) {
  switches.set("newsfeed_dual_write", 100);
  sql.down = true;
  EXPECT_THROW(repo.add({{1, 10, 7, kT0}}), Unavailable);
  EXPECT_THROW(repo.remove_tweet(10), Unavailable);
  EXPECT_THROW(repo.remove_author(1, 7), Unavailable);
  EXPECT_EQ(log, (Calls{"sql.add", "sql.remove_tweet", "sql.remove_author"}));
  EXPECT_TRUE(kv.rows.empty());
  EXPECT_EQ(repo.mirror_failures(), 0u);
}

}  // namespace
}  // namespace chirp::testing
