#include "common/image_type.hpp"

namespace chirp {

std::optional<ImageType> sniff_image(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (bytes.starts_with("\xFF\xD8\xFF"sv)) return ImageType::Jpeg;
  if (bytes.starts_with("\x89PNG\r\n\x1A\n"sv)) return ImageType::Png;
  if (bytes.starts_with("GIF87a"sv) || bytes.starts_with("GIF89a"sv)) return ImageType::Gif;
  // RIFF container: 4-byte chunk size, then the form type.
  if (bytes.size() >= 12 && bytes.starts_with("RIFF"sv) && bytes.substr(8, 4) == "WEBP"sv) {
    return ImageType::Webp;
  }
  return std::nullopt;
}

std::string_view extension_of(ImageType t) {
  switch (t) {
    case ImageType::Jpeg:
      return "jpg";
    case ImageType::Png:
      return "png";
    case ImageType::Gif:
      return "gif";
    case ImageType::Webp:
      return "webp";
  }
  return "bin";
}

std::string_view mime_type_of(ImageType t) {
  switch (t) {
    case ImageType::Jpeg:
      return "image/jpeg";
    case ImageType::Png:
      return "image/png";
    case ImageType::Gif:
      return "image/gif";
    case ImageType::Webp:
      return "image/webp";
  }
  return "application/octet-stream";
}

}  // namespace chirp
