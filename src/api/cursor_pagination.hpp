#pragma once
// Endless pagination parameters and envelope (SPEC §1.6).
#include "api/json.hpp"
#include "domain/pagination.hpp"
#include "http/query.hpp"

namespace chirp::api {

// Reads created_at__lt, created_at__gt and page_size; ValidationError naming the bad parameter.
domain::PageRequest read_cursor_page(const http::QueryParams& query);

// {"has_next_page": ..., "results": [...]}
// (In the storage of `results`.)
json::object endless_page_json(bool has_next_page, json::array results);

}  // namespace chirp::api
