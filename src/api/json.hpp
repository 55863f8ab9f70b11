#pragma once
// JSON responses. Boost.JSON is the api layer's serializer; domain code never builds JSON.
#include <boost/json.hpp>

#include "http/message.hpp"

namespace chirp::api {

namespace json = boost::json;

http::Response json_response(int status, const json::value& body);

// `null` for an empty optional, else the string.
template <class T>
json::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value_from(*v);
}

}  // namespace chirp::api
