#include "store/memcached/memcached_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace chirp::store::memcached {
namespace {

TEST(MemcachedUrl, OneServer) {
  auto servers = parse_memcached_url("memcached://127.0.0.1:11311");
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0].host, "127.0.0.1");
  EXPECT_EQ(servers[0].port, 11311);
  EXPECT_EQ(servers[0].address(), "127.0.0.1:11311");
}

TEST(MemcachedUrl, SeveralServersDefaultPortAndIpv6) {
  auto servers = parse_memcached_url("memcached://cache-a:11211,cache-b,[::1]:11500/");
  ASSERT_EQ(servers.size(), 3u);
  EXPECT_EQ(servers[0].address(), "cache-a:11211");
  EXPECT_EQ(servers[1].host, "cache-b");
  EXPECT_EQ(servers[1].port, 11211);
  EXPECT_EQ(servers[2].host, "::1");
  EXPECT_EQ(servers[2].port, 11500);
  EXPECT_EQ(servers[2].address(), "[::1]:11500");
}

TEST(MemcachedUrl, RejectsMalformed) {
  for (const char* url : {"", "redis://h:1", "memcached://", "memcached://h:", "memcached://h:0",
                          "memcached://h:70000", "memcached://h:12x", "memcached://a:1,,b:2",
                          "memcached://[::1", "memcached://h:1/db"}) {
    EXPECT_THROW(parse_memcached_url(url), std::invalid_argument) << url;
  }
}

}  // namespace
}  // namespace chirp::store::memcached
