// Profiles, sessions and tokens.
#include <gtest/gtest.h>

#include "sql_test_support.hpp"
#include "store/sql/profile_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "store/sql/token_repository.hpp"
#include "store/sql/user_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

class AccountRepositoriesTest : public BackendTest {
 protected:
  domain::UserId make_user(const std::string& name) {
    SqlUserRepository users(database());
    return users.create({name, name + "@example.com", "hash", false, 42}).id;
  }
};
CHIRP_INSTANTIATE_BACKENDS(AccountRepositoriesTest);

TEST_P(AccountRepositoriesTest, ProfileUpdateRoundTripsUtf8AndNull) {
  SqlProfileRepository profiles(database());
  const auto id = make_user("dave_1");
  const auto other = make_user("erin_1");

  // 200 code points, most of them 4 bytes long in UTF-8.
  std::string nickname = "Zoë 🐦 日本語 ";  // 10 code points
  for (int i = 0; i < 190; ++i) nickname += "🐦";
  profiles.update({id, nickname, std::string("avatars/ab/ab0123.png")});
  auto profile = profiles.find(id);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->nickname, nickname);
  EXPECT_EQ(profile->avatar, "avatars/ab/ab0123.png");

  profiles.update({id, std::string(""), std::nullopt});
  profile = profiles.find(id);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->nickname, std::string(""));  // empty is not NULL
  EXPECT_FALSE(profile->avatar.has_value());

  // Only the addressed profile changed.
  const auto untouched = profiles.find(other);
  ASSERT_TRUE(untouched.has_value());
  EXPECT_FALSE(untouched->nickname.has_value());

  EXPECT_FALSE(profiles.find(987654).has_value());
  const auto many = profiles.find_many({id, other, 987654});
  EXPECT_EQ(many.size(), 2u);
  EXPECT_TRUE(profiles.find_many({}).empty());
}

TEST_P(AccountRepositoriesTest, SessionsLifecycle) {
  SqlSessionRepository sessions(database());
  const auto id = make_user("frank_1");
  const std::string key(64, 'a');
  sessions.create(key, id, 1000);
  sessions.create(std::string(64, 'b'), id, 5000);

  auto found = sessions.find(key);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, id);
  EXPECT_EQ(found->expires_at, 1000);
  EXPECT_FALSE(sessions.find(std::string(64, 'c')).has_value());

  sessions.extend(key, 3'000'000'000'000'000);
  EXPECT_EQ(sessions.find(key)->expires_at, 3'000'000'000'000'000);

  sessions.remove_expired(5000);  // removes 'b' (expires exactly now), keeps the extended one
  EXPECT_FALSE(sessions.find(std::string(64, 'b')).has_value());
  EXPECT_TRUE(sessions.find(key).has_value());

  sessions.remove(key);
  EXPECT_FALSE(sessions.find(key).has_value());
  sessions.remove(key);  // removing twice is harmless
}

TEST_P(AccountRepositoriesTest, TokensLifecycle) {
  SqlTokenRepository tokens(database());
  const auto id = make_user("grace_1");
  const std::string key(64, 'f');
  tokens.create(key, id, 77);
  EXPECT_EQ(tokens.find_user(key), id);
  EXPECT_FALSE(tokens.find_user(std::string(64, '0')).has_value());
  EXPECT_TRUE(tokens.remove(key));
  EXPECT_FALSE(tokens.remove(key));
  EXPECT_FALSE(tokens.find_user(key).has_value());
}

}  // namespace
}  // namespace chirp::store::sql::testing
