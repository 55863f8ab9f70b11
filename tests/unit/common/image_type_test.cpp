#include "common/image_type.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace chirp {
namespace {

using namespace std::string_view_literals;

// The smallest headers each format check accepts: signature plus the first structure.
TEST(SniffImage, RecognisesHeaders) {
  EXPECT_EQ(sniff_image("\xFF\xD8\xFF\xE0\x00\x10JFIF"sv), ImageType::Jpeg);
  EXPECT_EQ(sniff_image("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xDE"sv),
            ImageType::Png);
  EXPECT_EQ(sniff_image("GIF87a\x01\x00\x01\x00\x80\x00\x00"sv), ImageType::Gif);
  EXPECT_EQ(sniff_image("GIF89a\x01\x00\x01\x00\x80\x00\x00"sv), ImageType::Gif);
  EXPECT_EQ(sniff_image("RIFF\x24\x00\x00\x00WEBPVP8 \x10\x00\x00\x00"sv), ImageType::Webp);
  EXPECT_EQ(sniff_image("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"sv), ImageType::Webp);
}

// A signature alone, or a signature followed by garbage, is not an image.
TEST(SniffImage, RejectsBareOrBrokenHeaders) {
  for (std::string_view s :
       {"\xFF\xD8\xFF"sv, "\xFF\xD8\xFF\x00\x00\x10"sv, "\x89PNG\r\n\x1A\n"sv,
        "\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDX\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xDE"sv,
        "\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR\x00\x00\x00\x00\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xDE"sv,
        "GIF89a"sv, "GIF89a\x00\x00\x01\x00\x80\x00\x00"sv, "RIFF\x00\x00\x00\x00WEBP"sv,
        "RIFF\x24\x00\x00\x00WEBPJUNK\x10\x00\x00\x00"sv}) {
    EXPECT_EQ(sniff_image(s), std::nullopt) << testing::PrintToString(s);
  }
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
