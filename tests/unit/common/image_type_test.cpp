#include "common/image_type.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace chirp {
namespace {

using namespace std::string_view_literals;

TEST(SniffImage, RecognisesMagicNumbers) {
  EXPECT_EQ(sniff_image("\xFF\xD8\xFF\xE0\x00\x10JFIF"sv), ImageType::Jpeg);
  EXPECT_EQ(sniff_image("\xFF\xD8\xFF"sv), ImageType::Jpeg);
  EXPECT_EQ(sniff_image("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"sv), ImageType::Png);
  EXPECT_EQ(sniff_image("GIF87a\x01\x00"sv), ImageType::Gif);
  EXPECT_EQ(sniff_image("GIF89a"sv), ImageType::Gif);
  EXPECT_EQ(sniff_image("RIFF\x24\x00\x00\x00WEBPVP8 "sv), ImageType::Webp);
  EXPECT_EQ(sniff_image("RIFF\x00\x00\x00\x00WEBP"sv), ImageType::Webp);
}

TEST(SniffImage, RejectsNonImages) {
  for (std::string_view s :
       {""sv, "\xFF\xD8"sv, "\xFF\xD8\xFE"sv, "\x89PNG\r\n\x1A"sv, "\x89PNG\n\r\x1A\n"sv,
        "GIF88a"sv, "GIF8"sv, "gif89a"sv, "RIFF\x24\x00\x00\x00WAVEfmt "sv,
        "RIFF\x24\x00\x00\x00WEB"sv, "RIFX\x24\x00\x00\x00WEBP"sv, "<svg xmlns=\"\"/>"sv, "hello"sv,
        " \xFF\xD8\xFF"sv}) {
    EXPECT_EQ(sniff_image(s), std::nullopt) << testing::PrintToString(s);
  }
}

TEST(ImageType, ExtensionsAndMimeTypes) {
  EXPECT_EQ(extension_of(ImageType::Jpeg), "jpg");
  EXPECT_EQ(extension_of(ImageType::Png), "png");
  EXPECT_EQ(extension_of(ImageType::Gif), "gif");
  EXPECT_EQ(extension_of(ImageType::Webp), "webp");
  EXPECT_EQ(mime_type_of(ImageType::Jpeg), "image/jpeg");
  EXPECT_EQ(mime_type_of(ImageType::Png), "image/png");
  EXPECT_EQ(mime_type_of(ImageType::Gif), "image/gif");
  EXPECT_EQ(mime_type_of(ImageType::Webp), "image/webp");
}

}  // namespace
}  // namespace chirp
