#include "domain/cached_credentials.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "common/time.hpp"
#include "domain/accounts.hpp"
#include "domain/secrets.hpp"
#include "social_fakes.hpp"
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
  AccountService accounts(users, sessions, tokens, hasher, AccountSettings{},
                          AccountCaches{&cache, nullptr});
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

namespace {

using chirp::testing::CountingCache;

User ada() {
  return User{7, "ada", "ada@example.com", "", false, 1234};
}

// An AccountService over counting fakes, with one cache for identities and credentials.
struct Accounts {
  CountingUsers users;
  CountingSessions sessions;
  CountingTokens tokens;
  PasswordHasher hasher{PasswordCost::Min};
  CountingCache cache;
  std::unique_ptr<AccountService> service;
  Accounts() {
    auto user = ada();
    user.password_hash = "$argon2id$secret";
    users.rows[7] = user;
    service = std::make_unique<AccountService>(users, sessions, tokens, hasher, AccountSettings{},
                                               AccountCaches{&cache, &cache});
  }
};

}  // namespace

TEST(CredentialCache, SessionsAndTokensKeepTheirUserWithoutThePasswordHash) {
  chirp::store::cache::LocalObjectCache cache;
  CredentialCache credentials(cache);
  EXPECT_FALSE(credentials.session("h1"));
  EXPECT_FALSE(credentials.token("h1"));
  auto user = ada();
  user.password_hash = "$argon2id$secret";
  credentials.remember_session("h1", user, 5000);
  credentials.remember_token("h1", user);
  auto session = credentials.session("h1");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->expires_at, 5000);
  EXPECT_EQ(session->user.id, 7);
  EXPECT_EQ(session->user.username, "ada");
  EXPECT_TRUE(session->user.password_hash.empty());
  auto token = credentials.token("h1");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->email, "ada@example.com");
  EXPECT_TRUE(token->password_hash.empty());

  credentials.forget_session("h1");
  EXPECT_FALSE(credentials.session("h1"));
  EXPECT_TRUE(credentials.token("h1"));  // a session and a token of the same hash are apart
  credentials.forget_token("h1");
  EXPECT_FALSE(credentials.token("h1"));
}

// Entries written by an older version ("user_id expires_at") are misses, not wrong users.
TEST(CredentialCache, EntriesOfTheOldFormatAreMisses) {
  chirp::store::cache::LocalObjectCache cache;
  CredentialCache credentials(cache);
  cache.set("session:h1", "7 5000");
  cache.set("token:h1", "7 0");
  EXPECT_FALSE(credentials.session("h1"));
  EXPECT_FALSE(credentials.token("h1"));
}

// The hot path: after the first request, a token costs one cache read and no store read at all.
TEST(CachedAccounts, AWarmTokenCostsOneCacheReadAndNoStoreRead) {
  Accounts a;
  const std::string token = a.service->create_token(7);
  ASSERT_TRUE(a.service->token_user(token));
  const int reads = a.cache.reads, finds = a.tokens.finds, user_finds = a.users.finds;
  for (int i = 0; i < 3; ++i) {
    auto user = a.service->token_user(token);
    ASSERT_TRUE(user);
    EXPECT_EQ(user->id, 7);
    EXPECT_EQ(user->username, "ada");
    EXPECT_TRUE(user->password_hash.empty());
  }
  EXPECT_EQ(a.cache.reads, reads + 3);
  EXPECT_EQ(a.tokens.finds, finds);
  EXPECT_EQ(a.users.finds, user_finds);
  EXPECT_FALSE(a.service->token_user("unknown-token"));
}

TEST(CachedAccounts, ARevokedTokenStopsWorkingAtOnce) {
  Accounts a;
  const std::string token = a.service->create_token(7);
  ASSERT_TRUE(a.service->token_user(token));
  ASSERT_TRUE(a.service->token_user(token));
  EXPECT_TRUE(a.service->revoke_token(token));
  EXPECT_FALSE(a.service->token_user(token));
  EXPECT_FALSE(a.service->revoke_token(token));
}

TEST(CachedAccounts, AClosedSessionStopsWorkingAtOnce) {
  Accounts a;
  const std::string session = a.service->open_session(7);
  ASSERT_TRUE(a.service->session_user(session));
  const int finds = a.sessions.finds;
  auto user = a.service->session_user(session);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->username, "ada");
  EXPECT_EQ(a.sessions.finds, finds);  // served from the cache
  a.service->close_session(session);
  EXPECT_FALSE(a.service->session_user(session));
}

// A session read long after its last extension is extended in the store, and the cached entry
// (with the old expiry) is dropped, so the next request sees the new expiry.
TEST(CachedAccounts, ExtendingASessionDropsItsCachedEntry) {
  Accounts a;
  const std::string session = a.service->open_session(7);
  const std::string key = hash_key(session);
  a.sessions.rows[key].expires_at = chirp::now_micros() + 3'600'000'000LL;  // an hour left
  ASSERT_TRUE(a.service->session_user(session));                            // extends
  EXPECT_GT(a.sessions.rows[key].expires_at, chirp::now_micros() + 13LL * 24 * 3600 * 1'000'000);
  const int finds = a.sessions.finds;
  ASSERT_TRUE(a.service->session_user(session));
  EXPECT_EQ(a.sessions.finds, finds + 1);  // read again from the store, then cached
  ASSERT_TRUE(a.service->session_user(session));
  EXPECT_EQ(a.sessions.finds, finds + 1);
}

TEST(CachedAccounts, AnExpiredSessionIsRemovedFromStoreAndCache) {
  Accounts a;
  const std::string session = a.service->open_session(7);
  const std::string key = hash_key(session);
  a.sessions.rows[key].expires_at = chirp::now_micros() - 1;
  EXPECT_FALSE(a.service->session_user(session));
  EXPECT_FALSE(a.sessions.rows.contains(key));
  EXPECT_FALSE(CredentialCache(a.cache).session(key));
}
