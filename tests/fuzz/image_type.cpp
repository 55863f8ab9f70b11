// Image-type sniffing of uploaded bytes (photos, avatars): never reads past the input, and what it
// recognises starts with that format's signature.
#include "common/image_type.hpp"

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chirp;
  using namespace std::string_view_literals;
  const std::string_view bytes = fuzz::as_text(data, size);
  const auto type = sniff_image(bytes);
  if (!type) return 0;
  FUZZ_CHECK(!extension_of(*type).empty() && mime_type_of(*type).starts_with("image/"));
  switch (*type) {
    case ImageType::Jpeg:
      FUZZ_CHECK(bytes.starts_with("\xFF\xD8\xFF"sv));
      break;
    case ImageType::Png:
      FUZZ_CHECK(bytes.starts_with("\x89PNG\r\n\x1A\n"sv));
      break;
    case ImageType::Gif:
      FUZZ_CHECK(bytes.starts_with("GIF8"sv));
      break;
    case ImageType::Webp:
      FUZZ_CHECK(bytes.starts_with("RIFF"sv) && bytes.substr(8, 4) == "WEBP"sv);
      break;
  }
  return 0;
}
