#pragma once
// Page-number pagination of SPEC §1.7 (users, notifications).
#include <cstdint>

#include "api/context.hpp"
#include "api/json.hpp"
#include "http/query.hpp"

namespace chirp::api {

struct PageRequest {
  std::int64_t page = 1;
  std::int64_t page_size = 10;
};

// Reads ?page and ?page_size; ValidationError on either when not a positive integer (page_size ≤ 100).
PageRequest read_page_request(const http::QueryParams& query);

// {"count", "next", "previous", "results"} with absolute next/previous URLs that keep the request's
// other query parameters.
json::object page_json(const Context& ctx, const PageRequest& page, std::int64_t count,
                       json::array results);

}  // namespace chirp::api
