#include "api/context.hpp"

#include <algorithm>

#include "common/errors.hpp"

namespace chirp::api {
namespace {

// A Host header is client input that ends up in URLs we return: accept only host[:port] characters.
bool is_plausible_host(std::string_view host) {
  return !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
}

}  // namespace

const http::Input& Context::input() {
  if (!input_) input_ = http::parse_body(request, services.settings.body_limits);
  return *input_;
}

const domain::User& Context::require_user() const {
  if (!caller) throw PermissionDenied::not_authenticated();
  return *caller;
}

std::string Context::origin() const {
  auto host = request.header("Host");
  if (!host || !is_plausible_host(*host)) return "http://localhost";
  return "http://" + std::string(*host);
}

}  // namespace chirp::api
