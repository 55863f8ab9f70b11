#pragma once
// Maps (method, path) to a route index. Patterns are literal segments and parameters:
//   {name}      a positive decimal int64 (SPEC §1.1: anything else is 404, never 500)
//   {name:str}  any non-empty segment
// The final slash is optional on every path. HEAD matches GET routes; OPTIONS is answered by the
// caller using `allow`.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chirp::http {

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;
  std::optional<std::string_view> get(std::string_view name) const;
  // The value of an {name} parameter, already checked to be a positive int64 by the router.
  std::int64_t id(std::string_view name) const;
};

enum class MatchStatus { Found, NotFound, MethodNotAllowed, Options };

struct MatchResult {
  MatchStatus status = MatchStatus::NotFound;
  std::size_t route = 0;          // index returned by add(), when Found
  std::string_view pattern;       // the matched route pattern (for metrics/logs), when a path matched
  PathParams params;
  std::string allow;              // "GET, POST, HEAD, OPTIONS" when the path exists
};

class Router {
 public:
  // Returns the route index (0, 1, 2, ... in order of addition).
  std::size_t add(std::string method, std::string pattern);
  MatchResult match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
  };
  std::vector<Route> routes_;
};

}  // namespace chirp::http
