#include "common/image_type.hpp"

#include <cstdint>

namespace chirp {

namespace {

using namespace std::string_view_literals;

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

std::uint32_t le16(std::string_view b, std::size_t at) {
  return std::uint32_t(std::uint8_t(b[at])) | (std::uint32_t(std::uint8_t(b[at + 1])) << 8);
}

// Beyond the magic number each check wants the format's first structure to be present and sane, so
// a file that merely starts with the signature (or is cut right after it) is not an image.

// Signature, then an IHDR chunk of length 13 with a non-zero width and height.
bool is_png(std::string_view b) {
  return b.size() >= 33 && b.starts_with("\x89PNG\r\n\x1A\n"sv) && be32(b, 8) == 13 &&
         b.substr(12, 4) == "IHDR"sv && be32(b, 16) > 0 && be32(b, 20) > 0;
}

// SOI, then a marker segment (0xFF followed by a marker code) with a length of at least 2.
bool is_jpeg(std::string_view b) {
  if (b.size() < 6 || !b.starts_with("\xFF\xD8\xFF"sv)) return false;
  auto marker = std::uint8_t(b[3]);
  std::uint32_t length = (std::uint32_t(std::uint8_t(b[4])) << 8) | std::uint8_t(b[5]);
  return marker >= 0xC0 && marker != 0xFF && marker != 0xD8 && length >= 2;
}

// Header, then the logical screen descriptor with a non-zero width and height.
bool is_gif(std::string_view b) {
  return b.size() >= 13 && (b.starts_with("GIF87a"sv) || b.starts_with("GIF89a"sv)) &&
         le16(b, 6) > 0 && le16(b, 8) > 0;
}

// RIFF container of form WEBP whose first chunk is VP8, VP8L or VP8X.
bool is_webp(std::string_view b) {
  if (b.size() < 20 || !b.starts_with("RIFF"sv) || b.substr(8, 4) != "WEBP"sv) return false;
  auto chunk = b.substr(12, 4);
  return chunk == "VP8 "sv || chunk == "VP8L"sv || chunk == "VP8X"sv;
}

}  // namespace

std::optional<ImageType> sniff_image(std::string_view bytes) {
  if (is_jpeg(bytes)) return ImageType::Jpeg;
  if (is_png(bytes)) return ImageType::Png;
  if (is_gif(bytes)) return ImageType::Gif;
  if (is_webp(bytes)) return ImageType::Webp;
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
