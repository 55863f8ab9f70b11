// `chirp gatekeeper set` options (DESIGN §1).
#include <gtest/gtest.h>

#include "app/config.hpp"

using namespace chirp::app;

TEST(GatekeeperConfig, SetOptions) {
  auto c = parse_config(Command::Gatekeeper,
                        {"--percent", "35", "--whitelist", "3, 1,2", "--description", "gray"}, {},
                        nullptr);
  EXPECT_EQ(c.gatekeeper_percent, 35);
  EXPECT_EQ(c.gatekeeper_whitelist, (std::vector<std::int64_t>{3, 1, 2}));
  EXPECT_EQ(c.gatekeeper_description, "gray");

  auto none = parse_config(Command::Gatekeeper, {"--data-dir", "/tmp/x"}, {}, nullptr);
  EXPECT_FALSE(none.gatekeeper_percent);
  EXPECT_FALSE(none.gatekeeper_whitelist);
  EXPECT_FALSE(none.gatekeeper_description);
  EXPECT_EQ(none.data_dir, "/tmp/x");

  auto empty = parse_config(Command::Gatekeeper, {"--whitelist", ""}, {}, nullptr);
  EXPECT_EQ(empty.gatekeeper_whitelist, std::vector<std::int64_t>{});
}

TEST(GatekeeperConfig, BadValuesAreUsageErrors) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"--percent", "101"}, {"--percent", "-1"}, {"--percent", "x"}, {"--whitelist", "1,x"},
           {"--listen", "127.0.0.1:1"}}) {
    EXPECT_THROW(parse_config(Command::Gatekeeper, args, {}, nullptr), UsageError) << args[0];
  }
  // The set options belong to the gatekeeper command only.
  EXPECT_THROW(parse_config(Command::Serve, {"--percent", "5"}, {}, nullptr), UsageError);
}

TEST(GatekeeperConfig, HelpNamesTheActions) {
  auto text = usage(Command::Gatekeeper);
  EXPECT_NE(text.find("list | get NAME | set NAME"), std::string::npos);
  EXPECT_NE(text.find("--percent N"), std::string::npos);
  EXPECT_NE(text.find("--data-dir"), std::string::npos);
  EXPECT_NE(general_usage().find("gatekeeper"), std::string::npos);
}
