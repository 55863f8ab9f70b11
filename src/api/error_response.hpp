#pragma once
#include <exception>

#include "http/message.hpp"

namespace chirp::api {

// The one place where errors become HTTP answers (SPEC §1.4). Unknown exceptions are logged with the
// request id and answered with a bare 500 envelope.
http::Response error_response(std::exception_ptr error, const http::Request& request);

}  // namespace chirp::api
