// Query strings: QueryParams and the URL decoders, then the pagination readers every list endpoint
// runs (cursor and page-number pagination), and the cursor's way into a wide-column scan.
#include "http/query.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/cursor_pagination.hpp"
#include "api/fields.hpp"
#include "api/pagination.hpp"
#include "common/errors.hpp"
#include "fuzz_support.hpp"
#include "store/kv/time_range_filter.hpp"

namespace {

using namespace chirp;

// Percent-encodes every byte outside the unreserved set (the inverse of url_decode).
std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' ||
        b == '.' || b == '_' || b == '~') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
  return out;
}

void check_decoders(std::string_view raw) {
  FUZZ_CHECK(http::url_decode(raw).size() <= raw.size());
  FUZZ_CHECK(http::percent_decode(raw).size() <= raw.size());
  FUZZ_CHECK(http::url_decode(url_encode(raw)) == raw);
  FUZZ_CHECK(http::percent_decode(url_encode(raw)) == raw);
}

void read_cursor_page(const http::QueryParams& query) {
  domain::PageRequest page;
  try {
    page = api::read_cursor_page(query);
  } catch (const ValidationError& error) {
    FUZZ_CHECK(!error.errors.empty());
    return;
  }
  FUZZ_CHECK(page.page_size >= 1 && page.page_size <= domain::kMaxPageSize);
  // The feed tables' key shape (user reversed : created_at : tweet), as the news-feed repository
  // scans it.
  using namespace store::kv;
  const ModelSpec feeds{"newsfeeds",
                        {{"user_id", FieldType::Integer, true},
                         {"created_at", FieldType::Timestamp},
                         {"tweet_id", FieldType::Integer}},
                        {{"tweet_id", FieldType::Integer}}};
  const Record owner{{"user_id", std::int64_t{42}}};
  if (const auto filter = newest_first_filter(feeds, owner, page.lookahead_range())) {
    FUZZ_CHECK(filter->reverse);
    (void)encode_partial_key(feeds, filter->start);
    (void)encode_partial_key(feeds, filter->stop);
  }
}

void read_page_request(const http::QueryParams& query) {
  try {
    const api::PageRequest page = api::read_page_request(query);
    FUZZ_CHECK(page.page >= 1 && page.page_size >= 1 && page.page_size <= 100);
  } catch (const ValidationError& error) {
    FUZZ_CHECK(!error.errors.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw = fuzz::as_text(data, size);
  check_decoders(raw);
  const http::QueryParams query(raw);
  for (const auto& [name, value] : query.all()) {
    FUZZ_CHECK(query.get(name).has_value());
  }
  read_cursor_page(query);
  read_page_request(query);
  return 0;
}
