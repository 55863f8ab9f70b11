#pragma once
// Decides whether uploaded bytes are an image by their content (magic numbers), never by the
// file name or the client's declared content type.
#include <optional>
#include <string_view>

namespace chirp {

enum class ImageType { Jpeg, Png, Gif, Webp };

std::optional<ImageType> sniff_image(std::string_view bytes);
std::string_view extension_of(ImageType t);     // "jpg", "png", "gif", "webp"
std::string_view mime_type_of(ImageType t);     // "image/jpeg", ...

}  // namespace chirp
