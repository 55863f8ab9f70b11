#pragma once
// Temporary RocksDB directories for the kv unit tests: each test gets its own, removed afterwards.
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "store/kv/rocksdb_store.hpp"

namespace chirp::store::kv::testing {

// A fresh, not yet existing path under the system temp directory.
inline std::filesystem::path fresh_temp_path() {
  static std::mt19937_64 random{std::random_device{}()};
  return std::filesystem::temp_directory_path() / ("chirp-kv-test-" + std::to_string(random()));
}

// Owns a temp directory; removes it on destruction.
class TempDir {
 public:
  TempDir() : path_(fresh_temp_path()) {}
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A RocksDbStore in its own temp directory, removed when the last owner lets go.
inline std::shared_ptr<WideColumnStore> open_temp_rocksdb() {
  auto dir = std::make_shared<TempDir>();
  auto* store = new RocksDbStore(dir->path().string());
  return std::shared_ptr<WideColumnStore>(store, [dir](WideColumnStore* s) { delete s; });
}

}  // namespace chirp::store::kv::testing

#include "domain/timeline.hpp"

namespace chirp::store::kv::testing {

// TimeRange builders (TimeRange's optionals have no default member initializers, so designated
// initializers would trip -Wmissing-field-initializers).
inline domain::TimeRange newest(std::size_t limit) {
  domain::TimeRange range;
  range.limit = limit;
  return range;
}
inline domain::TimeRange before(Micros at, std::size_t limit = 20) {
  domain::TimeRange range;
  range.before = at;
  range.limit = limit;
  return range;
}
inline domain::TimeRange after(Micros at, std::size_t limit = 20) {
  domain::TimeRange range;
  range.after = at;
  range.limit = limit;
  return range;
}

}  // namespace chirp::store::kv::testing
