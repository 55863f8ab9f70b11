#include "http/router.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <system_error>

#include "common/errors.hpp"

namespace chirp::http {
namespace {

// SPEC §1.1: decimal digits only, no sign, greater than zero, fits in int64.
std::optional<std::int64_t> parse_positive_id(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value <= 0) return std::nullopt;
  return value;
}

// Splits "/a/b/" into {"a", "b"}; the final slash is optional. Returns false for a path that does
// not start with '/' or that has an empty segment ("//", "/a//b").
bool split_path(std::string_view path, std::vector<std::string_view>& out) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return true;
  while (true) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    if (segment.empty()) return false;
    out.push_back(segment);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

void append_method(std::string& allow, std::string_view method) {
  if (!allow.empty()) allow += ", ";
  allow += method;
}

}  // namespace

std::optional<std::string_view> PathParams::get(std::string_view name) const {
  for (const auto& [key, value] : values) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::int64_t PathParams::id(std::string_view name) const {
  const auto text = get(name);
  if (!text) throw std::invalid_argument("no path parameter named " + std::string(name));
  const auto value = parse_positive_id(*text);
  if (!value) throw NotFound();
  return *value;
}

std::size_t Router::add(std::string method, std::string pattern) {
  std::vector<std::string_view> parts;
  if (!split_path(pattern, parts)) throw std::invalid_argument("bad route pattern: " + pattern);
  Route route{std::move(method), pattern, {}};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.front() != '{') {
      route.segments.push_back({SegmentKind::Literal, std::string(part)});
      continue;
    }
    if (part.back() != '}' || part.size() < 3) {
      throw std::invalid_argument("bad route parameter in " + pattern);
    }
    const std::string_view inner = part.substr(1, part.size() - 2);
    const auto colon = inner.find(':');
    const std::string_view name = inner.substr(0, colon);
    const std::string_view kind =
        colon == std::string_view::npos ? std::string_view() : inner.substr(colon + 1);
    if (name.empty()) throw std::invalid_argument("unnamed route parameter in " + pattern);
    SegmentKind segment_kind;
    if (kind.empty()) {
      segment_kind = SegmentKind::Id;
    } else if (kind == "str") {
      segment_kind = SegmentKind::Str;
    } else if (kind == "rest" && i + 1 == parts.size()) {
      segment_kind = SegmentKind::Rest;
    } else {
      throw std::invalid_argument("bad route parameter kind in " + pattern);
    }
    route.segments.push_back({segment_kind, std::string(name)});
  }
  routes_.push_back(std::move(route));
  return routes_.size() - 1;
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& path_segments) {
  const auto& segments = route.segments;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].kind == SegmentKind::Rest) return path_segments.size() > i;
    if (i >= path_segments.size()) return false;
    switch (segments[i].kind) {
      case SegmentKind::Literal:
        if (segments[i].text != path_segments[i]) return false;
        break;
      case SegmentKind::Id:
        if (!parse_positive_id(path_segments[i])) return false;
        break;
      case SegmentKind::Str:
      case SegmentKind::Rest:
        break;
    }
  }
  return segments.size() == path_segments.size();
}

bool Router::more_specific(const Route& a, const Route& b) {
  const std::size_t n = std::min(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a.segments[i].kind != b.segments[i].kind) return a.segments[i].kind < b.segments[i].kind;
  }
  return false;
}

bool Router::same_shape(const Route& a, const Route& b) {
  if (a.segments.size() != b.segments.size()) return false;
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].kind != b.segments[i].kind) return false;
    if (a.segments[i].kind == SegmentKind::Literal && a.segments[i].text != b.segments[i].text) {
      return false;
    }
  }
  return true;
}

MatchResult Router::match(std::string_view method, std::string_view path) const {
  MatchResult result;
  std::vector<std::string_view> path_segments;
  if (!split_path(path, path_segments)) return result;

  const Route* best = nullptr;
  for (const auto& route : routes_) {
    if (matches(route, path_segments) && (best == nullptr || more_specific(route, *best))) {
      best = &route;
    }
  }
  if (best == nullptr) return result;

  // Every route of the same shape as the best one serves this path; pick one by method.
  const Route* chosen = nullptr;
  const Route* get_route = nullptr;
  bool has_head = false;
  bool has_options = false;
  std::vector<std::string_view> methods;
  for (const auto& route : routes_) {
    if (!same_shape(route, *best)) continue;
    // A method registered twice for one shape is listed once.
    if (std::find(methods.begin(), methods.end(), route.method) == methods.end()) {
      methods.push_back(route.method);
      append_method(result.allow, route.method);
    }
    if (chosen == nullptr && route.method == method) chosen = &route;
    if (get_route == nullptr && route.method == "GET") get_route = &route;
    has_head = has_head || route.method == "HEAD";
    has_options = has_options || route.method == "OPTIONS";
  }
  if (get_route != nullptr && !has_head) append_method(result.allow, "HEAD");
  if (!has_options) append_method(result.allow, "OPTIONS");

  if (chosen == nullptr && method == "HEAD") chosen = get_route;
  const Route& named = chosen != nullptr ? *chosen : *best;
  result.pattern = named.pattern;
  for (std::size_t i = 0; i < named.segments.size(); ++i) {
    const Segment& segment = named.segments[i];
    if (segment.kind == SegmentKind::Literal) continue;
    if (segment.kind == SegmentKind::Rest) {
      // The rest of the path, from this segment to the end, without the optional final slash.
      const auto begin = path_segments[i].data() - path.data();
      const auto end = path_segments.back().data() + path_segments.back().size() - path.data();
      result.params.values.emplace_back(segment.text, std::string(path.substr(begin, end - begin)));
    } else {
      result.params.values.emplace_back(segment.text, std::string(path_segments[i]));
    }
  }

  if (chosen != nullptr) {
    result.status = MatchStatus::Found;
    result.route = static_cast<std::size_t>(chosen - routes_.data());
  } else if (method == "OPTIONS") {
    result.status = MatchStatus::Options;
  } else {
    result.status = MatchStatus::MethodNotAllowed;
  }
  return result;
}

}  // namespace chirp::http
