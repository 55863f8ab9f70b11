#pragma once
// MediaStore on the local filesystem: files live under `root` and are served at `url_prefix`.
#include <filesystem>
#include <string>

#include "domain/media_store.hpp"

namespace chirp::store::media {

class LocalMediaStore final : public domain::MediaStore {
 public:
  explicit LocalMediaStore(std::filesystem::path root, std::string url_prefix = "/media/");

  // Writes root/folder/<2 hex>/<32 hex>.<extension> atomically (temporary file + rename).
  // std::invalid_argument when folder or extension is not a plain name; std::system_error when
  // the file cannot be written.
  std::string save(std::string_view folder, std::string_view extension,
                   std::string_view bytes) override;
  // Ignores missing files and paths that try to leave the store.
  void remove(std::string_view path) override;
  std::optional<std::string> read(std::string_view path) override;
  std::string url_of(std::string_view path) const override;

 private:
  std::filesystem::path root_;
  std::string url_prefix_;
};

}  // namespace chirp::store::media
