#include "store/memcached/memcached_url.hpp"

#include <charconv>
#include <stdexcept>

namespace chirp::store::memcached {
namespace {

constexpr std::string_view kScheme = "memcached://";

[[noreturn]] void bad_url(std::string_view url, std::string_view why) {
  throw std::invalid_argument("memcached url '" + std::string(url) + "': " + std::string(why));
}

MemcachedServer parse_server(std::string_view url, std::string_view item) {
  MemcachedServer server;
  std::string_view host = item;
  std::string_view port;
  if (item.starts_with('[')) {
    auto close = item.find(']');
    if (close == std::string_view::npos) bad_url(url, "unclosed '[' in a host");
    host = item.substr(1, close - 1);
    std::string_view rest = item.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) bad_url(url, "expected ':' after ']'");
      port = rest.substr(1);
    }
  } else if (auto colon = item.rfind(':'); colon != std::string_view::npos) {
    host = item.substr(0, colon);
    port = item.substr(colon + 1);
    if (port.empty()) bad_url(url, "empty port");
  }
  if (host.empty()) bad_url(url, "empty host");
  server.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      bad_url(url, "bad port '" + std::string(port) + "'");
    }
    server.port = static_cast<std::uint16_t>(value);
  }
  return server;
}

}  // namespace

std::string MemcachedServer::address() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::vector<MemcachedServer> parse_memcached_url(std::string_view url) {
  if (!url.starts_with(kScheme)) bad_url(url, "must start with memcached://");
  std::string_view list = url.substr(kScheme.size());
  if (auto slash = list.find('/'); slash != std::string_view::npos) {
    if (list.substr(slash) != "/") bad_url(url, "no path is allowed");
    list = list.substr(0, slash);
  }
  std::vector<MemcachedServer> servers;
  while (true) {
    auto comma = list.find(',');
    servers.push_back(parse_server(url, list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return servers;
}

}  // namespace chirp::store::memcached
