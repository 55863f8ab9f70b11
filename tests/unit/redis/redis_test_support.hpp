#pragma once
// Shared helpers of the Redis tests. They need a real Redis:
//   CHIRP_TEST_REDIS_URL  a server the tests may write to (keys are unique per test and process, so
//                         test processes can share it); tests skip when it is unset
//   CHIRP_TEST_REDIS_DIR  a directory where the survival tests start, stop and restart their own
//                         private servers with scripts/redis.sh; those tests skip when it is unset
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "store/redis/redis_client.hpp"

namespace chirp::store::redis::testing {

inline std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

#define CHIRP_REQUIRE_TEST_REDIS(url_var)                                           \
  auto url_var##_env = ::chirp::store::redis::testing::env("CHIRP_TEST_REDIS_URL"); \
  if (!url_var##_env) GTEST_SKIP() << "CHIRP_TEST_REDIS_URL is not set";            \
  const std::string url_var = *url_var##_env

inline RedisOptions options_for(const std::string& url) {
  RedisOptions options;
  options.url = url;
  return options;
}

// A prefix that makes keys unique to this test in this process.
inline std::string unique_prefix() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string(info->test_suite_name()) + "." + info->name() + "." +
         std::to_string(::getpid()) + ":";
}

// A loopback port nobody listens on (bound then released).
inline int unused_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

inline std::filesystem::path redis_script() {
  if (auto path = env("CHIRP_REDIS_SCRIPT")) return *path;
  // tests/unit/redis/<this file> → scripts/redis.sh
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "scripts" /
         "redis.sh";
}

// Runs `scripts/redis.sh verb dir` and returns its standard output without the final newline.
inline std::string run_redis_script(const std::string& verb, const std::filesystem::path& dir) {
  std::string command = "'" + redis_script().string() + "' " + verb + " '" + dir.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  int status = ::pclose(pipe);
  if (status != 0)
    throw std::runtime_error(command + " failed with status " + std::to_string(status));
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace chirp::store::redis::testing
