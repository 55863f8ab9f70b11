// Path matching with the server's real routing table: a request line's method and target, the path
// percent-decoded as the server does. {id} parameters must come out as positive int64 values (SPEC
// §1.1: anything else is a 404, never a 500).
#include "http/router.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "api/api.hpp"
#include "fuzz_support.hpp"
#include "http/query.hpp"

namespace {

using namespace chirp;

const http::Router& router() {
  static const http::Router instance = [] {
    http::Router r;
    for (const auto& route : api::all_routes()) r.add(route.method, route.pattern);
    return r;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [method, target] = fuzz::split_line(fuzz::as_text(data, size));
  const std::string path = http::percent_decode(target.substr(0, target.find('?')));
  const http::MatchResult match = router().match(method, path);
  const auto& routes = api::all_routes();
  if (match.status == http::MatchStatus::NotFound) {
    FUZZ_CHECK(match.params.values.empty());
    return 0;
  }
  FUZZ_CHECK(!match.allow.empty() && !match.pattern.empty());
  if (match.status == http::MatchStatus::Found) {
    FUZZ_CHECK(match.route < routes.size());
    const std::string_view route_method = routes[match.route].method;
    FUZZ_CHECK(route_method == method || (method == "HEAD" && route_method == "GET"));
  }
  for (const auto& [name, value] : match.params.values) {
    FUZZ_CHECK(!value.empty());
    if (match.pattern.find("{" + name + "}") != std::string_view::npos) {
      FUZZ_CHECK(match.params.id(name) > 0);  // {id} parameters are checked by the router
    }
  }
  return 0;
}
