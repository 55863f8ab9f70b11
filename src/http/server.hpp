#pragma once
// The HTTP/1.1 server (Boost.Beast, C++20 coroutines). Its implementation is the only code that
// includes Beast/Asio. Handlers run on a bounded worker pool because they call blocking clients.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace chirp::http {

// The limits that bound what one client can make the server hold (docs/SECURITY.md, "Resource
// limits"); `chirp serve` sets them from its flags (app/commands.cpp).
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t worker_queue_limit = 1024;     // requests waiting for a worker; beyond this -> 503
  std::size_t max_connections = 10000;       // beyond this new connections are closed at once
  std::size_t max_header_bytes = 16 * 1024;  // request line and header fields -> 431 above this
  std::size_t max_header_fields = 100;       // header fields -> 431 above this
  std::size_t max_body_bytes = 1024 * 1024;  // non-multipart bodies -> 413 above this
  std::size_t max_multipart_body_bytes = 64 * 1024 * 1024;  // multipart/form-data bodies
  // A new connection's first request line and header must arrive within header_timeout of the
  // accept; a keep-alive connection may idle for idle_timeout, then the next header gets
  // header_timeout from its first byte. A body must arrive within body_timeout of its header, and
  // an answer be taken by the client within body_timeout. Past any of them the socket is closed.
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long after SIGTERM
  // Added to every answer that does not set them itself, including the server's own rejections.
  std::vector<Header> default_headers = security_headers();
};

// Called on a worker thread for each complete request. Exceptions escaping it become a 500.
using Handler = std::function<Response(Request&)>;

// Binds, logs "listening on HOST:PORT", serves until SIGTERM/SIGINT, then stops accepting, lets
// in-flight requests finish (bounded by shutdown_grace) and returns 0. Returns 1 if it cannot bind.
int run_server(const ServerOptions& options, Handler handler);

}  // namespace chirp::http
