#include "app/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace chirp::app;

namespace {
Config parse(Command c, std::vector<std::string> args,
             std::map<std::string, std::string> env = {}) {
  return parse_config(c, args, env, nullptr);
}
}  // namespace

TEST(Config, DefaultsMatchTheDesign) {
  auto c = parse(Command::Serve, {});
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8000);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.effective_database_url(), "sqlite://./data/chirp.db");
  EXPECT_TRUE(c.rate_limits);
  EXPECT_EQ(c.password_cost, chirp::domain::PasswordCost::Interactive);
  EXPECT_EQ(c.celebrity_threshold, 10000);
  EXPECT_EQ(c.fanout_batch_size, 1000);
}

TEST(Config, FlagsBeatEnvironmentBeatsFile) {
  std::string path = ::testing::TempDir() + "/chirp-config-test.conf";
  {
    std::ofstream f(path);
    f << "# comment\nlisten = 0.0.0.0:9000\ndata-dir = /from/file\nrate-limits=off\n";
  }
  auto c = parse(Command::Serve, {"--config", path, "--listen", "127.0.0.1:7000"},
                 {{"CHIRP_LISTEN", "127.0.0.1:8500"}, {"CHIRP_DATA_DIR", "/from/env"}});
  EXPECT_EQ(c.listen_port, 7000);
  EXPECT_EQ(c.data_dir, "/from/env");
  EXPECT_FALSE(c.rate_limits);
  std::remove(path.c_str());
}

TEST(Config, EqualsSyntaxAndIpv6Listen) {
  auto c = parse(Command::Serve, {"--listen=[::1]:8080", "--password-cost=min"});
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.password_cost, chirp::domain::PasswordCost::Min);
}

TEST(Config, BadUsageIsReported) {
  EXPECT_THROW(parse(Command::Serve, {"--nope", "1"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--listen"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--listen", "8000"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--listen", "h:99999"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--rate-limits", "maybe"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--password-cost", "max"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--database-url", "postgres://x"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"stray"}), UsageError);
  // serve-only flags are not accepted by migrate; createsuperuser flags not by serve
  EXPECT_THROW(parse(Command::Migrate, {"--listen", "127.0.0.1:1"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--username", "x"}), UsageError);
}

TEST(Config, HelpIsReported) {
  bool help = false;
  parse_config(Command::Serve, {"--help"}, {}, &help);
  EXPECT_TRUE(help);
  auto text = usage(Command::Serve);
  EXPECT_NE(text.find("--listen HOST:PORT"), std::string::npos);
  EXPECT_NE(text.find("CHIRP_RATE_LIMITS"), std::string::npos);
}

TEST(Config, SuperuserFields) {
  auto c = parse(Command::CreateSuperuser,
                 {"--username", "admin_1", "--email", "a@b.co", "--password", "secret1"});
  EXPECT_EQ(c.username, "admin_1");
  EXPECT_EQ(c.email, "a@b.co");
  EXPECT_EQ(c.password, "secret1");
}

TEST(ConfigTest, BackfillTakesFlagsWithoutValues) {
  auto c = parse(Command::Backfill, {"--reverse", "--restart", "--table", "friendships"});
  EXPECT_TRUE(c.backfill_reverse);
  EXPECT_TRUE(c.backfill_restart);
  EXPECT_EQ(c.maintenance_table, "friendships");
  auto d = parse(Command::Backfill, {"--reverse=off"});
  EXPECT_FALSE(d.backfill_reverse);
  EXPECT_FALSE(d.backfill_restart);
  EXPECT_EQ(d.maintenance_table, "all");
}

TEST(ConfigTest, VerifyRejectsBackfillOnlyFlagsAndUnknownTables) {
  EXPECT_THROW(parse(Command::Verify, {"--reverse"}), UsageError);
  EXPECT_THROW(parse(Command::Verify, {"--table", "tweets"}), UsageError);
  EXPECT_EQ(parse(Command::Verify, {"--table", "newsfeeds"}).maintenance_table, "newsfeeds");
}

TEST(ConfigTest, ServerLimitsHaveDefaultsFlagsAndEnvironment) {
  auto d = parse(Command::Serve, {});
  EXPECT_EQ(d.http_queue_limit, 1024);
  EXPECT_EQ(d.max_connections, 10000);
  EXPECT_EQ(d.max_header_bytes, 16384);
  EXPECT_EQ(d.max_header_fields, 100);
  EXPECT_EQ(d.header_timeout_s, 10);
  EXPECT_EQ(d.body_timeout_s, 60);
  EXPECT_EQ(d.idle_timeout_s, 60);
  EXPECT_FALSE(d.secure_cookies);

  auto c = parse(Command::Serve,
                 {"--http-queue-limit", "2", "--max-header-bytes", "4096", "--max-header-fields=20",
                  "--header-timeout", "1", "--body-timeout", "2", "--idle-timeout", "3",
                  "--secure-cookies", "on"},
                 {{"CHIRP_MAX_CONNECTIONS", "20"}, {"CHIRP_HEADER_TIMEOUT", "9"}});
  EXPECT_EQ(c.http_queue_limit, 2);
  EXPECT_EQ(c.max_connections, 20);
  EXPECT_EQ(c.max_header_bytes, 4096);
  EXPECT_EQ(c.max_header_fields, 20);
  EXPECT_EQ(c.header_timeout_s, 1);
  EXPECT_EQ(c.body_timeout_s, 2);
  EXPECT_EQ(c.idle_timeout_s, 3);
  EXPECT_TRUE(c.secure_cookies);
  EXPECT_TRUE(parse(Command::Serve, {}, {{"CHIRP_SECURE_COOKIES", "on"}}).secure_cookies);

  EXPECT_THROW(parse(Command::Serve, {"--header-timeout", "0"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--body-timeout", "1.5"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--max-header-bytes", "100"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--max-header-fields", "0"}), UsageError);
  EXPECT_THROW(parse(Command::Serve, {"--secure-cookies", "sometimes"}), UsageError);
  EXPECT_THROW(parse(Command::Migrate, {"--header-timeout", "5"}), UsageError);
}
