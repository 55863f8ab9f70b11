#include "domain/cached_credentials.hpp"

#include <gtest/gtest.h>

#include <map>

#include "domain/accounts.hpp"
#include "store/cache/local_object_cache.hpp"

using namespace chirp::domain;
using chirp::Micros;

namespace {

struct CountingSessions : SessionRepository {
  std::map<std::string, StoredSession> rows;
  int finds = 0;
  void create(std::string_view k, UserId u, Micros e) override { rows[std::string(k)] = {u, e}; }
  std::optional<StoredSession> find(std::string_view k) override {
    ++finds;
    auto it = rows.find(std::string(k));
    return it == rows.end() ? std::nullopt : std::optional(it->second);
  }
  void extend(std::string_view k, Micros e) override { rows[std::string(k)].expires_at = e; }
  void remove(std::string_view k) override { rows.erase(std::string(k)); }
  void remove_expired(Micros) override {}
};

struct CountingTokens : TokenRepository {
  std::map<std::string, UserId> rows;
  int finds = 0;
  void create(std::string_view k, UserId u, Micros) override { rows[std::string(k)] = u; }
  std::optional<UserId> find_user(std::string_view k) override {
    ++finds;
    auto it = rows.find(std::string(k));
    return it == rows.end() ? std::nullopt : std::optional(it->second);
  }
  bool remove(std::string_view k) override { return rows.erase(std::string(k)) > 0; }
};

}  // namespace

TEST(CachedSessions, SecondLookupIsServedFromTheCache) {
  CountingSessions store;
  chirp::store::cache::LocalObjectCache cache;
  CachedSessionRepository sessions(store, cache);
  sessions.create("h1", 7, 1000);
  EXPECT_EQ(sessions.find("h1")->user_id, 7);
  EXPECT_EQ(sessions.find("h1")->expires_at, 1000);
  EXPECT_EQ(store.finds, 1);
}

TEST(CachedSessions, RemoveAndExtendDropTheCachedEntry) {
  CountingSessions store;
  chirp::store::cache::LocalObjectCache cache;
  CachedSessionRepository sessions(store, cache);
  sessions.create("h1", 7, 1000);
  sessions.find("h1");
  sessions.extend("h1", 5000);
  EXPECT_EQ(sessions.find("h1")->expires_at, 5000);
  sessions.remove("h1");
  EXPECT_FALSE(sessions.find("h1").has_value());
}

TEST(CachedSessions, UnknownKeysAreNotCached) {
  CountingSessions store;
  chirp::store::cache::LocalObjectCache cache;
  CachedSessionRepository sessions(store, cache);
  EXPECT_FALSE(sessions.find("nope"));
  sessions.create("nope", 3, 10);
  EXPECT_EQ(sessions.find("nope")->user_id, 3);
}

TEST(CachedTokens, RevokedTokenStopsWorkingAtOnce) {
  CountingTokens store;
  chirp::store::cache::LocalObjectCache cache;
  CachedTokenRepository tokens(store, cache);
  tokens.create("t1", 9, 0);
  EXPECT_EQ(tokens.find_user("t1"), 9);
  EXPECT_EQ(tokens.find_user("t1"), 9);
  EXPECT_EQ(store.finds, 1);
  EXPECT_TRUE(tokens.remove("t1"));
  EXPECT_FALSE(tokens.find_user("t1"));
}

namespace {

struct CountingUsers : UserRepository {
  std::map<UserId, User> rows;
  int finds = 0;
  User create(const NewUser&) override { throw std::logic_error("not used"); }
  std::optional<User> find_by_id(UserId id) override {
    ++finds;
    auto it = rows.find(id);
    return it == rows.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<User> find_by_username(std::string_view) override { return std::nullopt; }
  std::optional<User> find_by_email(std::string_view) override { return std::nullopt; }
  std::vector<User> find_many(const std::vector<UserId>&) override { return {}; }
  std::int64_t count() override { return static_cast<std::int64_t>(rows.size()); }
  std::vector<User> list_newest(std::int64_t, std::int64_t) override { return {}; }
};

}  // namespace

// Every authenticated request needs its user: with a cache only the first one reads the store,
// and neither answer carries the password hash.
TEST(CachedIdentities, TokenUserIsReadOnceAndNeverCarriesThePasswordHash) {
  CountingUsers users;
  users.rows[7] = User{7, "ada", "ada@example.com", "$argon2id$secret", true, 1234};
  CountingSessions sessions;
  CountingTokens tokens;
  PasswordHasher hasher(PasswordCost::Min);
  chirp::store::cache::LocalObjectCache cache;
  AccountService accounts(users, sessions, tokens, hasher, AccountSettings{}, &cache);
  const std::string token = accounts.create_token(7);
  for (int i = 0; i < 3; ++i) {
    auto user = accounts.token_user(token);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->id, 7);
    EXPECT_EQ(user->username, "ada");
    EXPECT_EQ(user->email, "ada@example.com");
    EXPECT_TRUE(user->is_staff);
    EXPECT_EQ(user->date_joined, 1234);
    EXPECT_TRUE(user->password_hash.empty());
  }
  EXPECT_EQ(users.finds, 1);
  EXPECT_FALSE(accounts.token_user("unknown-token"));

  AccountService uncached(users, sessions, tokens, hasher, AccountSettings{});
  auto user = uncached.token_user(token);
  ASSERT_TRUE(user);
  EXPECT_TRUE(user->password_hash.empty());
  EXPECT_EQ(users.finds, 2);
}
