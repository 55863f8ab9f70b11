#include "api/pagination.hpp"

#include "api/fields.hpp"

namespace chirp::api {
namespace {

constexpr std::int64_t kDefaultPageSize = 10;
constexpr std::int64_t kMaxPageSize = 100;
constexpr std::int64_t kMaxPage = 1'000'000'000;

// The request URL with `page` set to `page` (removed for page 1, as DRF does).
std::string url_for_page(const Context& ctx, std::int64_t page) {
  std::string query;
  std::string_view raw = ctx.request.query;
  while (!raw.empty()) {
    auto amp = raw.find('&');
    auto part = raw.substr(0, amp);
    auto key = part.substr(0, part.find('='));
    if (!part.empty() && http::url_decode(key) != "page") {
      query.append(query.empty() ? "" : "&").append(part);
    }
    if (amp == std::string_view::npos) break;
    raw.remove_prefix(amp + 1);
  }
  if (page > 1) query.append(query.empty() ? "" : "&").append("page=" + std::to_string(page));
  // The canonical path (with its final slash), whichever form the client used.
  std::string url = ctx.origin() + ctx.request.path;
  if (!url.ends_with('/')) url.push_back('/');
  if (!query.empty()) url.append("?").append(query);
  return url;
}

}  // namespace

PageRequest read_page_request(const http::QueryParams& query) {
  FieldErrors errors;
  auto page = positive_query_int(query, "page", 1, kMaxPage, errors);
  auto size = positive_query_int(query, "page_size", kDefaultPageSize, kMaxPageSize, errors);
  throw_if_any(errors);
  return {*page, *size};
}

json::object page_json(const Context& ctx, const PageRequest& page, std::int64_t count,
                       json::array results) {
  bool has_next = page.page * page.page_size < count;
  json::value next = has_next ? json::value(url_for_page(ctx, page.page + 1)) : nullptr;
  json::value previous = page.page > 1 ? json::value(url_for_page(ctx, page.page - 1)) : nullptr;
  return {{"count", count}, {"next", next}, {"previous", previous}, {"results", std::move(results)}};
}

}  // namespace chirp::api
