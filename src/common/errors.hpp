#pragma once
// Typed errors shared by every layer. Domain and HTTP code throw these; api/error_response.cpp is the
// one place that turns them into SPEC §1.4's envelopes.
#include <string>
#include <utility>
#include <vector>
#include <stdexcept>

namespace chirp {

// Field name -> messages, in the order fields were validated (clients see this order).
using FieldErrors = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct ApiError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// 404 {"detail": detail}
struct NotFound : ApiError {
  explicit NotFound(std::string detail = "Not found.") : ApiError(std::move(detail)) {}
};

// 403 {"detail": detail}
struct PermissionDenied : ApiError {
  explicit PermissionDenied(std::string detail) : ApiError(std::move(detail)) {}
  static PermissionDenied not_authenticated() {
    return PermissionDenied("Authentication credentials were not provided.");
  }
  static PermissionDenied not_owner() {
    return PermissionDenied("You do not have permission to access this object.");
  }
  static PermissionDenied not_admin() {
    return PermissionDenied("You do not have permission to perform this action.");
  }
  static PermissionDenied csrf() {
    return PermissionDenied("CSRF Failed: CSRF token missing or incorrect.");
  }
  static PermissionDenied invalid_token() { return PermissionDenied("Invalid token."); }
};

// 400 {"success": false, "message": "Please check input.", "errors": {...}}
struct ValidationError : ApiError {
  explicit ValidationError(FieldErrors e) : ApiError("validation failed"), errors(std::move(e)) {}
  ValidationError(std::string field, std::string message)
      : ApiError("validation failed"), errors{{std::move(field), {std::move(message)}}} {}
  FieldErrors errors;
};

// 400 {"success": false, "message": "missing a,b in request"}
struct MissingParams : ApiError {
  explicit MissingParams(std::vector<std::string> n) : ApiError("missing params"), names(std::move(n)) {}
  std::vector<std::string> names;
};

// 400 {"success": false, "message": message}
struct BadRequest : ApiError {
  explicit BadRequest(std::string message) : ApiError(std::move(message)) {}
};

// 400 {"detail": "JSON parse error - <reason>"}
struct JsonParseError : ApiError {
  explicit JsonParseError(std::string reason) : ApiError(std::move(reason)) {}
};

// 400 {"detail": detail}: a body or request that cannot be parsed at all (broken multipart, ...).
struct MalformedRequest : ApiError {
  explicit MalformedRequest(std::string detail) : ApiError(std::move(detail)) {}
};

// 415 {"detail": "Unsupported media type \"<type>\" in request."}
struct UnsupportedMediaType : ApiError {
  explicit UnsupportedMediaType(std::string content_type) : ApiError(std::move(content_type)) {}
};

// 413 {"detail": "Request body is too large."}
struct PayloadTooLarge : ApiError {
  PayloadTooLarge() : ApiError("payload too large") {}
};

// 429 {"detail": "Too many requests, try again later."} + Retry-After
struct RateLimited : ApiError {
  explicit RateLimited(int retry_after_s) : ApiError("rate limited"), retry_after(retry_after_s) {}
  int retry_after;
};

// 503 {"detail": "Service temporarily unavailable."}: a dependency (database, cache server, ...)
// did not answer in time. Store code throws it for connection-level failures only.
struct Unavailable : ApiError {
  explicit Unavailable(std::string what) : ApiError(std::move(what)) {}
};

// A unique constraint rejected an insert. `field` names the unique column ("username", "email", ...).
struct DuplicateKey : std::runtime_error {
  explicit DuplicateKey(std::string f) : std::runtime_error("duplicate " + f), field(std::move(f)) {}
  std::string field;
};

}  // namespace chirp
