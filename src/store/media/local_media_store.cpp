#include "store/media/local_media_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace chirp::store::media {
namespace {

constexpr std::size_t kNameBytes = 16;  // 32 hex characters

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// "avatars", "photos", or nested "a/b": plain segments only.
bool is_plain_folder(std::string_view folder) {
  if (folder.empty() || folder.front() == '/' || folder.back() == '/') return false;
  bool segment_empty = true;
  for (const char c : folder) {
    if (c == '/') {
      if (segment_empty) return false;
      segment_empty = true;
    } else if (is_name_char(c)) {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return true;
}

bool is_plain_extension(std::string_view extension) {
  if (extension.empty() || extension.size() > 16) return false;
  for (const char c : extension) {
    if (!is_name_char(c) || c == '-') return false;
  }
  return true;
}

// A relative path that stays inside the store.
bool is_safe_relative_path(std::string_view path) {
  return !path.empty() && path.front() != '/' && path.find("..") == std::string_view::npos &&
         path.find('\\') == std::string_view::npos && path.find('\0') == std::string_view::npos;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes * 2);
  for (const unsigned char byte : raw) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

// Owns a file descriptor.
class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int get() const { return fd_; }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw_errno("close");
  }

 private:
  int fd_;
};

void write_fully(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

LocalMediaStore::LocalMediaStore(std::filesystem::path root, std::string url_prefix)
    : root_(std::move(root)), url_prefix_(std::move(url_prefix)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string LocalMediaStore::save(std::string_view folder, std::string_view extension,
                                  std::string_view bytes) {
  if (!extension.empty() && extension.front() == '.') extension.remove_prefix(1);
  if (!is_plain_folder(folder)) {
    throw std::invalid_argument("media folder must be plain names: '" + std::string(folder) + "'");
  }
  if (!is_plain_extension(extension)) {
    throw std::invalid_argument("media extension must be letters and digits: '" +
                                std::string(extension) + "'");
  }
  const std::string name = random_hex(kNameBytes);
  const std::string relative =
      std::string(folder) + "/" + name.substr(0, 2) + "/" + name + "." + std::string(extension);
  const std::filesystem::path target = root_ / relative;
  std::filesystem::create_directories(target.parent_path());

  // Written under a hidden temporary name in the same directory, then renamed: readers see either
  // nothing or the whole file.
  const std::filesystem::path temporary = target.parent_path() / ("." + name + ".tmp");
  File file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (file.get() < 0) throw_errno("open " + temporary.string());
  try {
    write_fully(file.get(), bytes, temporary.string());
    if (::fsync(file.get()) != 0) throw_errno("fsync " + temporary.string());
    file.close();
    if (::rename(temporary.c_str(), target.c_str()) != 0) throw_errno("rename " + target.string());
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  return relative;
}

void LocalMediaStore::remove(std::string_view path) {
  if (!is_safe_relative_path(path)) return;
  const std::filesystem::path target = root_ / std::string(path);
  if (::unlink(target.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR &&
      errno != ENAMETOOLONG) {
    throw_errno("unlink " + target.string());
  }
}

std::optional<std::string> LocalMediaStore::read(std::string_view path) {
  if (!is_safe_relative_path(path)) return std::nullopt;
  const std::filesystem::path target = root_ / std::string(path);
  File file(::open(target.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    // A client's path names no stored file; ENAMETOOLONG: longer than the OS allows (not a 500).
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR || errno == ENAMETOOLONG) {
      return std::nullopt;
    }
    throw_errno("open " + target.string());
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) throw_errno("stat " + target.string());
  if (!S_ISREG(info.st_mode)) return std::nullopt;
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + target.string());
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  return bytes;
}

std::string LocalMediaStore::url_of(std::string_view path) const {
  return url_prefix_ + std::string(path);
}

}  // namespace chirp::store::media
