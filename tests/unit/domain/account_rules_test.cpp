#include "domain/account_rules.hpp"

#include <gtest/gtest.h>

using namespace chirp::domain;

TEST(UsernameRules, AcceptsLettersDigitsUnderscoreWithin6To20) {
  EXPECT_TRUE(username_errors("alice_1").empty());
  EXPECT_TRUE(username_errors("ABCDEF").empty());
  EXPECT_TRUE(username_errors("a23456789012345678_0").empty());
}

TEST(UsernameRules, ReportsLengthAndCharset) {
  EXPECT_EQ(username_errors("abc"),
            std::vector<std::string>{"Ensure this field has at least 6 characters."});
  EXPECT_EQ(username_errors("a2345678901234567890x"),
            std::vector<std::string>{"Ensure this field has no more than 20 characters."});
  EXPECT_EQ(username_errors("alice smith"),
            std::vector<std::string>{"Username may contain only letters, digits and underscores."});
  EXPECT_EQ(username_errors("alice-1").size(), 1u);
  EXPECT_EQ(username_errors("élodie_x").size(), 1u);  // non-ASCII letters are refused
  EXPECT_EQ(username_errors(""), std::vector<std::string>{"This field may not be blank."});
}

TEST(EmailRules, ValidAndInvalidAddresses) {
  EXPECT_TRUE(is_valid_email("a@b.co"));
  EXPECT_TRUE(is_valid_email("first.last+tag@mail.example.org"));
  EXPECT_FALSE(is_valid_email("plain"));
  EXPECT_FALSE(is_valid_email("a@b"));
  EXPECT_FALSE(is_valid_email("a@b.c"));
  EXPECT_FALSE(is_valid_email("a b@c.com"));
  EXPECT_FALSE(is_valid_email(".a@b.com"));
  EXPECT_FALSE(is_valid_email("a..b@c.com"));
  EXPECT_FALSE(is_valid_email("a@-b.com"));
  EXPECT_FALSE(is_valid_email("a@b..com"));
  EXPECT_FALSE(is_valid_email("a@b.com."));
  EXPECT_FALSE(is_valid_email("@b.com"));
  EXPECT_EQ(email_errors("nope"), std::vector<std::string>{"Enter a valid email address."});
}

TEST(PasswordRules, CountsCodePointsAndKeepsSpaces) {
  EXPECT_TRUE(password_errors(" abcd ").empty());
  EXPECT_TRUE(password_errors("ééééé\xC3\xA9").empty());  // 6 code points, 12 bytes
  EXPECT_EQ(password_errors("abcde").size(), 1u);
  EXPECT_EQ(password_errors(std::string(21, 'x')).size(), 1u);
  EXPECT_TRUE(password_errors(std::string(20, 'x')).empty());
}
