#pragma once
// The HTTP/1.1 server (Boost.Beast, C++20 coroutines). Its implementation is the only code that
// includes Beast/Asio. Handlers run on a bounded worker pool because they call blocking clients.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "http/message.hpp"

namespace chirp::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t worker_queue_limit = 1024;  // requests waiting for a worker; beyond this -> 503
  std::size_t max_connections = 10000;    // beyond this new connections are closed at once
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;  // non-multipart bodies -> 413 above this
  std::size_t max_multipart_body_bytes = 64 * 1024 * 1024;  // multipart/form-data bodies
  std::chrono::seconds header_timeout{10};                  // time to receive a request's headers
  std::chrono::seconds body_timeout{60};                    // time to receive its body
  std::chrono::seconds idle_timeout{60};                    // keep-alive idle time between requests
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long after SIGTERM
};

// Called on a worker thread for each complete request. Exceptions escaping it become a 500.
using Handler = std::function<Response(Request&)>;

// Binds, logs "listening on HOST:PORT", serves until SIGTERM/SIGINT, then stops accepting, lets
// in-flight requests finish (bounded by shutdown_grace) and returns 0. Returns 1 if it cannot bind.
int run_server(const ServerOptions& options, Handler handler);

}  // namespace chirp::http
