// The web client of SPEC §2: `/` is web/index.html and `/static/<path>` any file of web/. Its
// pages are routed in the URL fragment (`/#/...`), so no other path is the client's: unknown
// paths stay 404.
#include "api/web_client.hpp"

#include <algorithm>

#include "api/handlers.hpp"
#include "common/errors.hpp"

namespace chirp::api::web {
namespace {

std::string_view content_type_of(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [suffix, type] : kTypes) {
    if (path.ends_with(suffix)) return type;
  }
  return "application/octet-stream";
}

const WebFile* find_file(std::string_view path) {
  const auto files = web_files();
  const auto it = std::lower_bound(files.begin(), files.end(), path,
                                   [](const WebFile& f, std::string_view p) { return f.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

// If-None-Match holds "*" or a comma-separated list of entity tags, possibly weak (W/"...").
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

// The files keep their names from one build to the next, so the browser revalidates each use
// (no-cache) and gets a bodiless 304 while the content hash still matches.
http::Response file_response(const Context& ctx, const WebFile& file) {
  http::Response res;
  res.add_header("ETag", std::string(file.etag));
  res.add_header("Cache-Control", "no-cache");
  if (auto given = ctx.request.header("If-None-Match"); given && etag_matches(*given, file.etag)) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  res.content_type = content_type_of(file.path);
  res.body = file.body;
  return res;
}

}  // namespace

http::Response index(Context& ctx) {
  const WebFile* file = find_file("index.html");
  if (!file) throw NotFound();
  return file_response(ctx, *file);
}

http::Response asset(Context& ctx) {
  const auto path = ctx.params.get("path");
  const WebFile* file = path ? find_file(*path) : nullptr;
  if (!file) throw NotFound();
  return file_response(ctx, *file);
}

}  // namespace chirp::api::web
