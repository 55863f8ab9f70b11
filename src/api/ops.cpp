// SPEC §12 and the media files of SPEC §4.
#include "api/handlers.hpp"
#include "api/json.hpp"
#include "common/errors.hpp"
#include "common/image_type.hpp"

namespace chirp::api::ops {

http::Response healthz(Context&) { return json_response(200, json::object{{"status", "ok"}}); }

http::Response readyz(Context& ctx) {
  auto failing = ctx.services.failing_dependencies ? ctx.services.failing_dependencies()
                                                   : std::vector<std::string>{};
  if (failing.empty()) return json_response(200, json::object{{"status", "ok"}});
  json::array names;
  for (auto& name : failing) names.emplace_back(name);
  return json_response(503, json::object{{"status", "unavailable"}, {"failing", std::move(names)}});
}

http::Response metrics(Context& ctx) {
  http::Response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body = ctx.services.metrics.render(ctx.services.gauges ? ctx.services.gauges()
                                                             : std::vector<Gauge>{});
  return res;
}

// Uploaded files are served byte for byte. Their names are random and never reused, so clients may
// cache them forever.
http::Response media(Context& ctx) {
  auto path = ctx.params.get("path");
  auto bytes = path ? ctx.services.media.read(*path) : std::nullopt;
  if (!bytes) throw NotFound();
  http::Response res;
  auto type = sniff_image(*bytes);
  res.content_type = type ? std::string(mime_type_of(*type)) : "application/octet-stream";
  res.body = std::move(*bytes);
  res.add_header("Cache-Control", "public, max-age=31536000, immutable");
  return res;
}

}  // namespace chirp::api::ops
