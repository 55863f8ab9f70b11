#pragma once
// Request metrics in Prometheus text format (SPEC §12). Labels use the route pattern
// ("/api/tweets/{id}/"), never a raw path, so the series stay few.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace chirp::api {

// A value reported by another part of the system (queue depth, cache hits, pool usage).
struct Gauge {
  std::string name;    // e.g. "chirp_outbox_pending"
  std::string help;
  std::string type;    // "gauge" or "counter"
  double value = 0;
  std::string labels;  // already formatted, e.g. "cache=\"objects\"", or empty
};

class Metrics {
 public:
  explicit Metrics(std::vector<std::string> routes);
  // `route` is an index into the routes given at construction, or -1 for an unmatched path.
  void observe(int route, const std::string& method, int status, double seconds);
  std::string render(const std::vector<Gauge>& extra) const;

 private:
  static constexpr std::array<double, 13> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1,    2.5, 10};
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
  };
  const std::string& route_name(int route) const;

  std::vector<std::string> routes_;
  std::vector<Histogram> histograms_;  // routes_.size() + 1 (the last one: unmatched)
  mutable std::mutex mutex_;
  std::map<std::tuple<int, std::string, int>, std::uint64_t> requests_;
};

}  // namespace chirp::api
