// application/x-www-form-urlencoded bodies, then the field readers handlers use on them.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "http/body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chirp;
  http::Request request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  request.body = std::string(fuzz::as_text(data, size));
  const http::Input input = http::parse_body(request);  // no exception is documented for forms
  FUZZ_CHECK(input.files.empty());
  for (const auto& [name, value] : input.fields) {
    FUZZ_CHECK(value.kind == http::FieldKind::Text);
    FUZZ_CHECK(value.valid_utf8 == is_valid_utf8(value.text));
  }
  fuzz::read_fields_like_handlers(input);
  return 0;
}
