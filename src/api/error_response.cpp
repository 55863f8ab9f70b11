#include "api/error_response.hpp"

#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "common/errors.hpp"

namespace chirp::api {
namespace {

http::Response detail(int status, std::string_view text) {
  return json_response(status, json::object{{"detail", text}});
}

http::Response failure(std::string_view message) {
  return json_response(400, json::object{{"success", false}, {"message", message}});
}

}  // namespace

http::Response error_response(std::exception_ptr error, const http::Request& request) {
  try {
    std::rethrow_exception(error);
  } catch (const ValidationError& e) {
    json::object fields;
    for (const auto& [field, messages] : e.errors) {
      json::array list;
      for (const auto& m : messages) list.emplace_back(m);
      fields[field] = std::move(list);
    }
    return json_response(400, json::object{{"success", false},
                                           {"message", "Please check input."},
                                           {"errors", std::move(fields)}});
  } catch (const MissingParams& e) {
    std::string names;
    for (const auto& n : e.names) names += (names.empty() ? "" : ",") + n;
    return failure("missing " + names + " in request");
  } catch (const BadRequest& e) {
    return failure(e.what());
  } catch (const NotFound& e) {
    return detail(404, e.what());
  } catch (const PermissionDenied& e) {
    return detail(403, e.what());
  } catch (const JsonParseError& e) {
    return detail(400, std::string("JSON parse error - ") + e.what());
  } catch (const MalformedRequest& e) {
    return detail(400, e.what());
  } catch (const UnsupportedMediaType& e) {
    return detail(415, std::string("Unsupported media type \"") + e.what() + "\" in request.");
  } catch (const PayloadTooLarge&) {
    return detail(413, "Request body is too large.");
  } catch (const RateLimited& e) {
    auto res = detail(429, "Too many requests, try again later.");
    res.add_header("Retry-After", std::to_string(e.retry_after));
    return res;
  } catch (const Unavailable& e) {
    spdlog::warn("request {} unavailable: {}", request.request_id, e.what());
    return detail(503, "Service temporarily unavailable.");
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, request.method, request.path,
                  e.what());
  } catch (...) {
    spdlog::error("request {} {} {} failed with a non-standard exception", request.request_id,
                  request.method, request.path);
  }
  return detail(500, "Internal server error.");
}

}  // namespace chirp::api
