// The HTTP request path: bytes from a connection through Beast's request parser, configured as the
// server configures it (header limit, body limits by Content-Type; request_reading.hpp), into a
// plain Request and chirp's own parsers (body by Content-Type, query string, cookies). Up to four
// pipelined requests per input, as one keep-alive connection would send them.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/errors.hpp"
#include "fuzz_support.hpp"
#include "http/body.hpp"
#include "http/query.hpp"
#include "http/request_reading.hpp"

namespace {

using namespace chirp;
using namespace chirp::http;
namespace bhttp = boost::beast::http;

// What the api layer reads from every request before its handler runs.
void use_request(Request& request, std::uint64_t body_limit) {
  FUZZ_CHECK(request.body.size() <= body_limit);
  FUZZ_CHECK(!request.request_id.empty() && request.request_id.size() <= kMaxRequestIdLength);
  const QueryParams query(request.query);
  (void)query.get("page");
  (void)request.cookie("sessionid");
  (void)request.cookie("csrftoken");
  (void)request.header("Authorization");
  (void)request.header("Host");
  try {
    const Input input = parse_body(request);
    fuzz::read_fields_like_handlers(input);
  } catch (const JsonParseError&) {
  } catch (const UnsupportedMediaType&) {
  } catch (const MalformedRequest&) {
  }
}

// Feeds `rest` to the parser; returns false when the connection would end here (a parse error the
// server answers with 400/413/431 and closes, or input that stops mid-message). Adds the bytes the
// parser consumed to `used_total`.
bool put(RequestParser& parser, std::string_view& rest, std::size_t& used_total) {
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
  rest.remove_prefix(used);
  used_total += used;
  if (ec && ec != bhttp::error::need_more) return false;
  return used > 0;  // every byte left was offered: no progress means the message stops mid-way
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ServerOptions options;
  std::string_view rest = fuzz::as_text(data, size);
  for (int n = 0; n < 4 && !rest.empty(); ++n) {
    RequestParser parser;
    set_header_limits(parser, options);
    std::size_t header_bytes = 0;
    while (!parser.is_header_done()) {
      if (rest.empty() || !put(parser, rest, header_bytes)) return 0;
    }
    if (!header_within_limits(parser, header_bytes, options)) return 0;  // 431
    const std::uint64_t body_limit = body_limit_for(parser, options);
    parser.body_limit(body_limit);
    if (const auto length = parser.content_length(); length && *length > body_limit) return 0;
    std::size_t body_bytes = 0;
    while (!parser.is_done()) {
      if (rest.empty() || !put(parser, rest, body_bytes)) return 0;
    }
    const bool keep_alive = parser.keep_alive();
    Request request = to_request(parser.release(), "127.0.0.1");
    use_request(request, body_limit);
    if (!keep_alive) break;
  }
  return 0;
}
