#include "api/metrics.hpp"

#include <fmt/format.h>

namespace chirp::api {
namespace {

const std::string kUnmatched = "unmatched";

// Prometheus label values escape backslash, quote and newline.
std::string label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Metrics::Metrics(std::vector<std::string> routes)
    : routes_(std::move(routes)), histograms_(routes_.size() + 1) {}

const std::string& Metrics::route_name(int route) const {
  return route >= 0 && static_cast<std::size_t>(route) < routes_.size() ? routes_[route] : kUnmatched;
}

void Metrics::observe(int route, const std::string& method, int status, double seconds) {
  if (route < 0 || static_cast<std::size_t>(route) >= routes_.size()) route = -1;
  auto& h = histograms_[route < 0 ? routes_.size() : static_cast<std::size_t>(route)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) h.buckets[i].fetch_add(1, std::memory_order_relaxed);
  }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  // Unknown methods would let clients create series at will: fold them into one label.
  static const std::array<std::string, 7> known = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  const std::string* m = &method;
  static const std::string other = "other";
  if (std::find(known.begin(), known.end(), method) == known.end()) m = &other;
  std::lock_guard lock(mutex_);
  ++requests_[{route, *m, status}];
}

std::string Metrics::render(const std::vector<Gauge>& extra) const {
  std::string out;
  out += "# HELP chirp_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE chirp_http_requests_total counter\n";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      out += fmt::format("chirp_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         label_value(route_name(route)), method, status, count);
    }
  }
  out += "# HELP chirp_http_request_duration_seconds Time to answer a request, by route pattern.\n";
  out += "# TYPE chirp_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < histograms_.size(); ++r) {
    const auto& h = histograms_[r];
    auto count = h.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    auto route = label_value(route_name(r < routes_.size() ? static_cast<int>(r) : -1));
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("chirp_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         route, kBuckets[i], h.buckets[i].load(std::memory_order_relaxed));
    }
    out += fmt::format("chirp_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       route, count);
    out += fmt::format("chirp_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                       static_cast<double>(h.sum_micros.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("chirp_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, count);
  }
  std::string last_name;
  for (const auto& g : extra) {
    if (g.name != last_name) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", g.name, g.help, g.name, g.type);
      last_name = g.name;
    }
    if (g.labels.empty()) out += fmt::format("{} {}\n", g.name, g.value);
    else out += fmt::format("{}{{{}}} {}\n", g.name, g.labels, g.value);
  }
  return out;
}

}  // namespace chirp::api
