#include "store/media/local_media_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "sql_test_support.hpp"

namespace chirp::store::media {
namespace {

using chirp::store::sql::testing::TempDir;

bool is_lower_hex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// "avatars/ab/ab<30 hex>.png"
bool is_stored_name(std::string_view path, std::string_view folder, std::string_view ext) {
  const std::string prefix = std::string(folder) + "/";
  if (!path.starts_with(prefix)) return false;
  path.remove_prefix(prefix.size());
  const std::string suffix = "." + std::string(ext);
  if (path.size() != 2 + 1 + 32 + suffix.size() || !path.ends_with(suffix)) return false;
  const std::string_view shard = path.substr(0, 2);
  const std::string_view name = path.substr(3, 32);
  return path[2] == '/' && is_lower_hex(shard) && is_lower_hex(name) && name.starts_with(shard);
}

TEST(LocalMediaStoreTest, SaveReadUrlRemove) {
  TempDir dir;
  LocalMediaStore store(dir.path() / "media");
  const std::string bytes("\x89PNG\r\n\x1a\n\0binary", 15);
  const std::string path = store.save("avatars", "png", bytes);
  EXPECT_TRUE(is_stored_name(path, "avatars", "png")) << path;
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.path() / "media" / path));
  EXPECT_EQ(store.read(path), bytes);
  EXPECT_EQ(store.url_of(path), "/media/" + path);

  // No temporary files are left next to it.
  const auto folder = (dir.path() / "media" / path).parent_path();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder),
                          std::filesystem::directory_iterator()),
            1);

  EXPECT_NE(store.save("avatars", "png", bytes), path);  // a new name every time

  store.remove(path);
  EXPECT_FALSE(store.read(path).has_value());
  store.remove(path);  // missing: ignored
}

TEST(LocalMediaStoreTest, CustomPrefixAndEmptyFile) {
  TempDir dir;
  LocalMediaStore store(dir.path(), "https://cdn.example/m/");
  const std::string path = store.save("photos", ".jpg", "");
  EXPECT_TRUE(is_stored_name(path, "photos", "jpg")) << path;
  EXPECT_EQ(store.read(path), "");
  EXPECT_EQ(store.url_of(path), "https://cdn.example/m/" + path);
}

TEST(LocalMediaStoreTest, RejectsPathsThatLeaveTheStore) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "media");
  {
    std::FILE* secret = std::fopen((dir.path() / "secret.txt").c_str(), "w");
    std::fputs("secret", secret);
    std::fclose(secret);
  }
  LocalMediaStore store(dir.path() / "media");
  const std::string nul_path("avatars/x\0/../../secret.txt", 27);
  for (const std::string& bad :
       {std::string("../secret.txt"), std::string("avatars/../../secret.txt"),
        (dir.path() / "secret.txt").string(), std::string("avatars\\..\\..\\secret.txt"), nul_path,
        std::string("")}) {
    EXPECT_FALSE(store.read(bad).has_value()) << bad;
    store.remove(bad);
  }
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "secret.txt"));
  EXPECT_FALSE(store.read("avatars/ab/missing.png").has_value());
  EXPECT_FALSE(store.read("avatars").has_value());  // a directory is not a file
}

// GET /media/<a path longer than PATH_MAX> was a 500 ("File name too long"); it names no file.
TEST(LocalMediaStoreTest, OverlongPathsAreNotFound) {
  TempDir dir;
  LocalMediaStore store(dir.path() / "media");
  std::string deep = "avatars/";
  for (int i = 0; i < 3000; ++i) deep += "a/";
  deep += "x.png";
  const std::string long_name = "avatars/" + std::string(300, 'a') + ".png";
  for (const std::string& path : {deep, long_name}) {
    EXPECT_FALSE(store.read(path).has_value());
    EXPECT_NO_THROW(store.remove(path));
  }
}

TEST(LocalMediaStoreTest, RejectsUnsafeFolderOrExtension) {
  TempDir dir;
  LocalMediaStore store(dir.path());
  EXPECT_THROW(store.save("../etc", "png", "x"), std::invalid_argument);
  EXPECT_THROW(store.save("/abs", "png", "x"), std::invalid_argument);
  EXPECT_THROW(store.save("avatars", "png/../x", "x"), std::invalid_argument);
  EXPECT_THROW(store.save("", "png", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace chirp::store::media
