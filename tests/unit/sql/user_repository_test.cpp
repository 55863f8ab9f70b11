#include "store/sql/user_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "common/errors.hpp"
#include "sql_test_support.hpp"
#include "store/sql/profile_repository.hpp"

namespace chirp::store::sql::testing {
namespace {

domain::NewUser new_user(const std::string& name, Micros joined = 1'700'000'000'000'000) {
  return domain::NewUser{name, name + "@example.com", "$argon2id$v=19$hash-of-" + name, false,
                         joined};
}

class UserRepositoryTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(UserRepositoryTest);

TEST_P(UserRepositoryTest, CreateReturnsIdAndFindsByEveryKey) {
  SqlUserRepository users(database());
  domain::NewUser alice = new_user("alice_1");
  alice.is_staff = true;
  alice.date_joined = 1'800'000'000'123'456;  // needs 64 bits
  const domain::User created = users.create(alice);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.username, "alice_1");
  EXPECT_EQ(created.email, "alice_1@example.com");
  EXPECT_TRUE(created.is_staff);
  EXPECT_EQ(created.date_joined, 1'800'000'000'123'456);

  for (const auto& found : {users.find_by_id(created.id), users.find_by_username("alice_1"),
                            users.find_by_email("alice_1@example.com")}) {
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, created.id);
    EXPECT_EQ(found->username, alice.username);
    EXPECT_EQ(found->email, alice.email);
    EXPECT_EQ(found->password_hash, alice.password_hash);
    EXPECT_TRUE(found->is_staff);
    EXPECT_EQ(found->date_joined, alice.date_joined);
  }
  EXPECT_FALSE(users.find_by_id(created.id + 1000).has_value());
  EXPECT_FALSE(users.find_by_username("nobody").has_value());
  EXPECT_FALSE(users.find_by_username("ALICE_1").has_value());  // stored lowercase, exact match
  EXPECT_FALSE(users.find_by_email("nobody@example.com").has_value());
}

TEST_P(UserRepositoryTest, CreateAlsoCreatesEmptyProfile) {
  SqlUserRepository users(database());
  SqlProfileRepository profiles(database());
  const domain::User user = users.create(new_user("bob_22"));
  const auto profile = profiles.find(user.id);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->user_id, user.id);
  EXPECT_FALSE(profile->nickname.has_value());
  EXPECT_FALSE(profile->avatar.has_value());
}

TEST_P(UserRepositoryTest, FindManyCountAndIds) {
  SqlUserRepository users(database());
  std::vector<domain::UserId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(users.create(new_user("user_" + std::to_string(i))).id);
  EXPECT_EQ(users.count(), 5);

  std::vector<domain::UserId> wanted{ids[3], ids[0], 999999, ids[4]};
  std::vector<domain::User> found = users.find_many(wanted);
  std::vector<domain::UserId> found_ids;
  for (const auto& u : found) found_ids.push_back(u.id);
  std::sort(found_ids.begin(), found_ids.end());
  EXPECT_EQ(found_ids, (std::vector<domain::UserId>{ids[0], ids[3], ids[4]}));
  EXPECT_TRUE(users.find_many({}).empty());

  // More ids than fit in one bound list.
  std::vector<domain::UserId> many(1200, 424242);
  many.push_back(ids[2]);
  found = users.find_many(many);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].username, "user_2");
}

TEST_P(UserRepositoryTest, ListNewestOrdersByDateThenIdAndPages) {
  SqlUserRepository users(database());
  // Two users share a date_joined: the higher id comes first.
  const auto a = users.create(new_user("user_a", 100)).id;
  const auto b = users.create(new_user("user_b", 300)).id;
  const auto c = users.create(new_user("user_c", 200)).id;
  const auto d = users.create(new_user("user_d", 200)).id;

  auto ids_of = [](const std::vector<domain::User>& list) {
    std::vector<domain::UserId> ids;
    for (const auto& u : list) ids.push_back(u.id);
    return ids;
  };
  EXPECT_EQ(ids_of(users.list_newest(0, 10)), (std::vector<domain::UserId>{b, d, c, a}));
  EXPECT_EQ(ids_of(users.list_newest(0, 2)), (std::vector<domain::UserId>{b, d}));
  EXPECT_EQ(ids_of(users.list_newest(2, 2)), (std::vector<domain::UserId>{c, a}));
  EXPECT_TRUE(users.list_newest(4, 2).empty());
  EXPECT_TRUE(users.list_newest(0, 0).empty());
}

TEST_P(UserRepositoryTest, DuplicateUsernameAndEmailNameTheField) {
  SqlUserRepository users(database());
  users.create(new_user("carol_1"));

  domain::NewUser same_name = new_user("carol_1");
  same_name.email = "other@example.com";
  try {
    users.create(same_name);
    FAIL() << "expected DuplicateKey";
  } catch (const DuplicateKey& e) {
    EXPECT_EQ(e.field, "username");
  }

  domain::NewUser same_email = new_user("carol_2");
  same_email.email = "carol_1@example.com";
  try {
    users.create(same_email);
    FAIL() << "expected DuplicateKey";
  } catch (const DuplicateKey& e) {
    EXPECT_EQ(e.field, "email");
  }
  // The failed transactions left nothing behind, and the pool is still healthy.
  EXPECT_EQ(users.count(), 1);
  EXPECT_TRUE(users.create(new_user("carol_3")).id > 0);
}

TEST_P(UserRepositoryTest, ConcurrentCreatesOfOneUsernameLetExactlyOneWin) {
  SqlUserRepository users(database());
  constexpr int kThreads = 8;
  std::atomic<int> created{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> other_errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      domain::NewUser user = new_user("racer_1");
      user.email = "racer" + std::to_string(i) + "@example.com";
      try {
        users.create(user);
        ++created;
      } catch (const DuplicateKey& e) {
        if (e.field == "username") ++duplicates;
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        ++other_errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicates, kThreads - 1);
  EXPECT_EQ(other_errors, 0);
  EXPECT_EQ(users.count(), 1);
}

}  // namespace
}  // namespace chirp::store::sql::testing
