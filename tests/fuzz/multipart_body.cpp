// multipart/form-data bodies. Input: the Content-Type header value, '\n', then the body, so the
// media-type parser (boundary parameter, quoting) is fuzzed along with the part scanner. Uploaded
// files go through the image sniffer as tweet photos and avatars do.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.hpp"
#include "common/image_type.hpp"
#include "fuzz_support.hpp"
#include "http/body.hpp"
#include "http/content_type.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chirp;
  const auto [content_type, body] = fuzz::split_line(fuzz::as_text(data, size));
  const http::MediaType media = http::parse_media_type(content_type);
  for (const auto& [name, value] : media.params) FUZZ_CHECK(!name.empty());

  http::Request request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", std::string(content_type)});
  request.body = std::string(body);
  const http::BodyLimits limits;
  http::Input input;
  try {
    input = http::parse_body(request, limits);
  } catch (const MalformedRequest&) {
    return 0;
  } catch (const UnsupportedMediaType&) {
    return 0;
  } catch (const JsonParseError&) {
    return 0;
  }
  if (media.type == "multipart/form-data") {
    FUZZ_CHECK(input.fields.size() + input.files.size() <= limits.max_multipart_parts);
    for (const auto& file : input.files) {
      FUZZ_CHECK(body.find(file.data) != std::string_view::npos);
      if (const auto type = sniff_image(file.data)) {
        FUZZ_CHECK(!extension_of(*type).empty());
      }
    }
    for (const auto& [name, value] : input.fields) {
      FUZZ_CHECK(value.valid_utf8 == is_valid_utf8(value.text));
    }
  }
  fuzz::read_fields_like_handlers(input);
  return 0;
}
