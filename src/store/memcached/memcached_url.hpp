#pragma once
// The --memcached-url setting: memcached://host:port[,host:port...] (DESIGN §1). The port defaults
// to 11211; an IPv6 host is written in brackets ([::1]:11211).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chirp::store::memcached {

struct MemcachedServer {
  std::string host;
  std::uint16_t port = 11211;

  std::string address() const;  // host:port, for logs and stats
};

// Throws std::invalid_argument naming what is wrong.
std::vector<MemcachedServer> parse_memcached_url(std::string_view url);

}  // namespace chirp::store::memcached
