#pragma once
// Maps (method, path) to a route index. Patterns are literal segments and parameters:
//   {name}      a positive decimal int64 (SPEC §1.1: anything else is 404, never 500)
//   {name:str}  any non-empty segment
//   {name:rest} the rest of the path, one or more non-empty segments (last in a pattern only)
// The final slash is optional on every path; empty segments ("//") never match. When several
// patterns match a path, the most specific wins (literal before {id} before {str} before {rest},
// compared segment by segment), whatever the method. HEAD matches GET routes; OPTIONS is answered
// by the caller using `allow`.
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
  std::size_t route = 0;     // index returned by add(), when Found
  std::string_view pattern;  // the matched route pattern (for metrics/logs), when a path matched
  PathParams params;
  std::string allow;  // "GET, POST, HEAD, OPTIONS" when the path exists
};

class Router {
 public:
  // Returns the route index (0, 1, 2, ... in order of addition). Throws std::invalid_argument for a
  // malformed pattern (empty segment, unknown parameter kind, {rest} not last).
  std::size_t add(std::string method, std::string pattern);
  MatchResult match(std::string_view method, std::string_view path) const;

 private:
  // Ordered from most to least specific.
  enum class SegmentKind { Literal, Id, Str, Rest };
  struct Segment {
    SegmentKind kind;
    std::string text;  // the literal, or the parameter name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
  };
  static bool matches(const Route& route, const std::vector<std::string_view>& path_segments);
  static bool more_specific(const Route& a, const Route& b);
  static bool same_shape(const Route& a, const Route& b);

  std::vector<Route> routes_;
};

}  // namespace chirp::http
