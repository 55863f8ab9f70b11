#include "store/hbase/hbase_url.hpp"

#include <charconv>
#include <stdexcept>

namespace chirp::store::hbase {
namespace {

constexpr std::string_view kScheme = "hbase://";

[[noreturn]] void bad_url(std::string_view url, std::string_view why) {
  throw std::invalid_argument("hbase url '" + std::string(url) + "': " + std::string(why));
}

// HBase namespace names: letters, digits and '_' (its TableName rules).
bool valid_namespace(std::string_view name) {
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

HBaseAddress parse_hbase_url(std::string_view url) {
  if (!url.starts_with(kScheme)) bad_url(url, "must start with hbase://");
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#@") != std::string_view::npos) {
    bad_url(url, "no user, query or fragment is allowed");
  }
  HBaseAddress address;
  std::string_view authority = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    std::string_view name_space = rest.substr(slash + 1);
    if (name_space.ends_with('/')) name_space.remove_suffix(1);
    if (!valid_namespace(name_space)) {
      bad_url(url, "a namespace has only letters, digits and '_'");
    }
    address.name_space = std::string(name_space);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad_url(url, "unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) bad_url(url, "expected ':' after ']'");
      port = after.substr(1);
      if (port.empty()) bad_url(url, "empty port");
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) bad_url(url, "empty port");
  }
  if (host.empty()) bad_url(url, "empty host");
  address.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      bad_url(url, "bad port '" + std::string(port) + "'");
    }
    address.port = static_cast<std::uint16_t>(value);
  }
  return address;
}

}  // namespace chirp::store::hbase
