#pragma once
// The web client's files (web/ in the source tree), compiled into the binary: the build generates
// their definition (web_files.cpp, by cmake/embed_files.cmake), so no install path matters and the
// server needs no network or file access to serve them.
#include <span>
#include <string_view>

namespace chirp::api {

struct WebFile {
  std::string_view path;  // relative to web/: "index.html", "js/main.js"
  std::string_view etag;  // a quoted hash of the content: "\"3f2a...\""
  std::string_view body;
};

// Every file, sorted by path.
std::span<const WebFile> web_files();

}  // namespace chirp::api
