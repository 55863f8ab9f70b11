#include "api/json.hpp"

namespace chirp::api {

http::Response json_response(int status, const json::value& body) {
  http::Response res;
  res.status = status;
  res.body = json::serialize(body);
  return res;
}

}  // namespace chirp::api
