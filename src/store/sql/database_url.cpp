#include "store/sql/database_url.hpp"

#include <charconv>
#include <stdexcept>

namespace chirp::store::sql {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite://";
constexpr std::string_view kMysqlScheme = "mysql://";

[[noreturn]] void bad_url(const std::string& what) {
  throw std::invalid_argument("invalid database URL: " + what);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, std::string_view part) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) {
      bad_url("truncated percent escape in the " + std::string(part));
    }
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) bad_url("invalid percent escape in the " + std::string(part));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

DatabaseUrl parse_mysql(std::string_view rest) {
  DatabaseUrl url;
  url.dialect = Dialect::Mysql;
  if (rest.find_first_of("?#") != std::string_view::npos) {
    bad_url("query strings and fragments are not supported in a mysql URL");
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos)
    bad_url("mysql URL needs a database name: mysql://user:pass@host:port/db");
  std::string_view authority = rest.substr(0, slash);
  url.database = percent_decode(rest.substr(slash + 1), "database name");
  if (url.database.empty()) bad_url("mysql URL needs a database name after the host");
  if (url.database.find('/') != std::string::npos) bad_url("the database name may not contain '/'");

  // The password may itself contain '@' when not escaped; the host never does.
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) {
      url.password = percent_decode(userinfo.substr(colon + 1), "password");
    }
  }
  if (url.user.empty()) bad_url("mysql URL needs a user name: mysql://user:pass@host:port/db");

  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad_url("unterminated '[' in the host");
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad_url("unexpected characters after the host");
      port = after.substr(1);
      if (port.empty()) bad_url("empty port");
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) bad_url("empty port");
    }
  }
  if (url.host.empty()) bad_url("mysql URL needs a host");
  if (!port.empty()) {
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      bad_url("port must be a number from 1 to 65535, got '" + std::string(port) + "'");
    }
    url.port = value;
  }
  return url;
}

// SOCI's MySQL connect-string values: single-quoted, with backslash escaping ' and \.
std::string quoted(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

DatabaseUrl parse_database_url(std::string_view url) {
  if (url.starts_with(kSqliteScheme)) {
    DatabaseUrl parsed;
    parsed.dialect = Dialect::Sqlite;
    parsed.sqlite_path = std::string(url.substr(kSqliteScheme.size()));
    if (parsed.sqlite_path.empty()) bad_url("sqlite URL needs a file path: sqlite:///abs/path.db");
    if (parsed.sqlite_path == ":memory:") {
      bad_url("an in-memory SQLite database cannot be shared by a connection pool; use a file");
    }
    // SOCI's SQLite connect string quotes values with '"' and has no escape for it.
    if (parsed.sqlite_path.find_first_of(std::string_view("\"\0", 2)) != std::string::npos) {
      bad_url("the SQLite file path may not contain '\"' or NUL");
    }
    return parsed;
  }
  if (url.starts_with(kMysqlScheme)) return parse_mysql(url.substr(kMysqlScheme.size()));
  if (url.empty()) bad_url("empty; expected sqlite:///path or mysql://user:pass@host:port/db");
  bad_url("unknown scheme in '" + std::string(url.substr(0, url.find(':'))) +
          "'; expected sqlite:///path or mysql://user:pass@host:port/db");
}

std::string soci_connect_string(const DatabaseUrl& url, const DatabaseOptions& options) {
  if (url.dialect == Dialect::Sqlite) {
    return "db=\"" + url.sqlite_path + "\" timeout=" + std::to_string(options.io_timeout_s);
  }
  std::string s = "db=" + quoted(url.database) + " user=" + quoted(url.user);
  if (!url.password.empty()) s += " password=" + quoted(url.password);
  s += " host=" + quoted(url.host) + " port=" + std::to_string(url.port);
  s += " charset=utf8mb4";
  s += " connect_timeout=" + std::to_string(options.connect_timeout_s);
  s += " read_timeout=" + std::to_string(options.io_timeout_s);
  s += " write_timeout=" + std::to_string(options.io_timeout_s);
  return s;
}

}  // namespace chirp::store::sql
