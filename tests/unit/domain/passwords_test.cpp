#include "domain/passwords.hpp"

#include <gtest/gtest.h>

#include "domain/secrets.hpp"

using namespace chirp::domain;

TEST(PasswordHasher, HashesAreArgon2idAndVerify) {
  PasswordHasher hasher(PasswordCost::Min);
  auto hash = hasher.hash("correct horse");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(hasher.verify(hash, "correct horse"));
  EXPECT_FALSE(hasher.verify(hash, "correct horse "));
  EXPECT_FALSE(hasher.verify(hash, ""));
  EXPECT_NE(hash, hasher.hash("correct horse"));  // salted
}

TEST(PasswordHasher, DummyVerificationNeverSucceeds) {
  PasswordHasher hasher(PasswordCost::Min);
  EXPECT_FALSE(hasher.verify_against_dummy("chirp-dummy-password"));
}

TEST(PasswordHasher, GarbageHashDoesNotVerify) {
  PasswordHasher hasher(PasswordCost::Min);
  EXPECT_FALSE(hasher.verify("not a hash", "x"));
  EXPECT_FALSE(hasher.verify("", ""));
}

TEST(Secrets, RandomHexHasLengthAndVaries) {
  auto a = random_hex(16), b = random_hex(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Secrets, HashKeyIsStableAndDistinct) {
  EXPECT_EQ(hash_key("abc"), hash_key("abc"));
  EXPECT_NE(hash_key("abc"), hash_key("abd"));
  EXPECT_EQ(hash_key("abc").size(), 64u);
  EXPECT_TRUE(secrets_equal("abc", "abc"));
  EXPECT_FALSE(secrets_equal("abc", "abd"));
  EXPECT_FALSE(secrets_equal("abc", "abcd"));
}
