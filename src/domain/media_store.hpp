#pragma once
// Where uploaded photos and avatars live. The local implementation writes under DATA_DIR/media and
// is served at /media/; an object store could implement the same interface.
#include <optional>
#include <string>
#include <string_view>

namespace chirp::domain {

class MediaStore {
 public:
  virtual ~MediaStore() = default;
  // Stores `bytes` under a new unique name in `folder` ("avatars", "photos") with `extension`;
  // returns its path relative to the store ("avatars/ab/ab12cd....png").
  virtual std::string save(std::string_view folder, std::string_view extension,
                           std::string_view bytes) = 0;
  virtual void remove(std::string_view path) = 0;
  // The bytes at `path`, or nullopt when absent or when `path` tries to leave the store.
  virtual std::optional<std::string> read(std::string_view path) = 0;
  // Public URL path for `path` ("/media/avatars/ab/....png").
  virtual std::string url_of(std::string_view path) const = 0;
};

}  // namespace chirp::domain
