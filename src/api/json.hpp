#pragma once
// JSON responses. Boost.JSON is the api layer's serializer; domain code never builds JSON.
#include <boost/json.hpp>

#include "http/message.hpp"

namespace chirp::api {

namespace json = boost::json;

http::Response json_response(int status, const json::value& body);

// The allocator of one list response: its values live until the response is serialized.
class ResponseArena {
 public:
  ResponseArena() : sp_(&resource_) {}
  const json::storage_ptr& storage() const { return sp_; }

 private:
  unsigned char initial_[16384];  // a page of 20 tweets fits; more spills to the heap
  json::monotonic_resource resource_{initial_, sizeof initial_};
  json::storage_ptr sp_;
};

// `null` for an empty optional, else the string.
template <class T>
json::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value_from(*v);
}

}  // namespace chirp::api
