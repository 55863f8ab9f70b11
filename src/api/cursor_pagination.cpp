#include "api/cursor_pagination.hpp"

#include "api/fields.hpp"
#include "common/time.hpp"

namespace chirp::api {
namespace {

std::optional<Micros> read_cursor(const http::QueryParams& query, std::string_view name,
                                  FieldErrors& errors) {
  auto raw = query.get(name);
  if (!raw) return std::nullopt;
  auto value = parse_cursor(*raw);
  if (!value) {
    add_error(errors, name,
              "Datetime has wrong format. Use one of these formats instead: "
              "YYYY-MM-DDThh:mm:ss[.uuuuuu]Z, YYYY-MM-DDThh:mm:ss[.uuuuuu]+HH:MM, or microseconds "
              "since the epoch.");
  }
  return value;
}

}  // namespace

domain::PageRequest read_cursor_page(const http::QueryParams& query) {
  FieldErrors errors;
  domain::PageRequest page;
  page.before = read_cursor(query, "created_at__lt", errors);
  page.after = read_cursor(query, "created_at__gt", errors);
  auto size = positive_query_int(query, "page_size", domain::kDefaultPageSize, domain::kMaxPageSize,
                                 errors);
  throw_if_any(errors);
  page.page_size = static_cast<std::size_t>(*size);
  return page;
}

json::object endless_page_json(bool has_next_page, json::array results) {
  json::storage_ptr sp = results.storage();
  return json::object({{"has_next_page", has_next_page}, {"results", std::move(results)}}, sp);
}

}  // namespace chirp::api
