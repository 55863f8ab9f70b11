// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines. This is the only file that
// includes Beast/Asio (one such translation unit takes ~35 s to compile).
//
// Threads: `io_threads` run one io_context; every connection lives on its own strand. Complete
// requests are handed to a bounded WorkerPool (handlers block on databases and caches); the worker
// posts the Response back to the connection's strand, which resumes the connection's coroutine.
//
// Toolchain traps (DESIGN.md §2): every co_await on an Asio operation names its completion token,
// and coroutines are free functions taking their arguments by value (never capturing lambdas).
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <exception>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "http/request_reading.hpp"
#include "http/worker_pool.hpp"

namespace chirp::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kAwaitTuple = asio::as_tuple(asio::use_awaitable);

// After an error answer the client may still be sending a body; read (and drop) up to this much for
// at most kDrainTime so that closing does not reset the connection before the client reads the
// answer.
constexpr std::size_t kMaxDrainBytes = 4 * 1024 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(2);

struct ServerState {
  ServerState(const ServerOptions& o, Handler h)
      : options(o),
        handler(std::move(h)),
        pool(static_cast<std::size_t>(std::max(1, o.worker_threads)), o.worker_queue_limit) {}

  const ServerOptions options;
  const Handler handler;
  WorkerPool pool;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> in_flight{0};  // requests between their header and their answer
  std::atomic<bool> stopping{false};
};

class CounterGuard {
 public:
  explicit CounterGuard(std::atomic<std::size_t>& counter) : counter_(counter) {}
  ~CounterGuard() { counter_.fetch_sub(1); }
  CounterGuard(const CounterGuard&) = delete;
  CounterGuard& operator=(const CounterGuard&) = delete;

 private:
  std::atomic<std::size_t>& counter_;
};

Response detail_response(int status, std::string_view detail) {
  Response response;
  response.status = status;
  response.body = std::string(R"({"detail": ")") + std::string(detail) + "\"}";
  return response;
}

std::string peer_address(const tcp::socket& socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "";
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

// The connection is gone or timed out: nothing to answer.
bool is_disconnect(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == beast::error::timeout || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::broken_pipe || ec == asio::error::not_connected;
}

bool allowed_extra_header(const Header& header) {
  // Framing is the server's job; and a CR or LF in a value would split the header.
  if (iequals(header.name, "Content-Length") || iequals(header.name, "Transfer-Encoding") ||
      iequals(header.name, "Connection")) {
    return false;
  }
  return header.value.find_first_of("\r\n") == std::string::npos &&
         header.name.find_first_of("\r\n: ") == std::string::npos && !header.name.empty();
}

// Every answer goes through here, the handler's and the server's own (400, 413, 431, 503, 500), so
// each gets the default (security) headers it does not set itself.
bhttp::response<bhttp::string_body> to_message(Response&& response, const ServerOptions& options,
                                               unsigned version, bool keep_alive, bool head,
                                               const std::string& request_id) {
  add_default_headers(response, options.default_headers);
  bhttp::response<bhttp::string_body> message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  message.set("X-Request-Id", request_id);
  if (!response.content_type.empty())
    message.set(bhttp::field::content_type, response.content_type);
  for (const auto& header : response.headers) {
    if (allowed_extra_header(header)) message.insert(header.name, header.value);
  }
  message.keep_alive(keep_alive);
  const bool no_body = (response.status >= 100 && response.status < 200) ||
                       response.status == 204 || response.status == 304;
  if (!no_body) {
    // For HEAD: the length of the body a GET would get, and no body.
    message.content_length(response.body.size());
    if (!head) message.body() = std::move(response.body);
  }
  return message;
}

void log_access(const std::string& peer, std::string_view method, std::string_view path, int status,
                std::size_t bytes, Clock::time_point started, std::string_view request_id) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  spdlog::info("{} {} {} {} {} {:.2f} {}", peer.empty() ? "-" : peer, method, path, status, bytes,
               ms, request_id);
}

Response call_handler(const ServerState& state, Request& request) {
  try {
    return state.handler(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, request.method, request.path,
                  e.what());
  } catch (...) {
    spdlog::error("request {} {} {} failed with a non-standard exception", request.request_id,
                  request.method, request.path);
  }
  return detail_response(500, "Internal server error.");
}

// Runs the handler on the worker pool and completes with its Response on the caller's executor (the
// connection's strand). When the pool is full the handler is not called and the answer is a 503.
template <typename CompletionToken>
auto async_handle(ServerState& state, Request& request, CompletionToken&& token) {
  auto initiate = [](auto completion, ServerState* state, Request* request) {
    using Completion = decltype(completion);
    auto shared = std::make_shared<Completion>(std::move(completion));
    // Tracked work keeps the io_context running while the worker holds the request.
    auto executor = asio::prefer(asio::get_associated_executor(*shared),
                                 asio::execution::outstanding_work.tracked);
    const bool accepted = state->pool.try_submit([state, request, shared, executor] {
      Response response = call_handler(*state, *request);
      asio::post(executor, [shared, response = std::move(response)]() mutable {
        (*shared)(std::move(response));
      });
    });
    if (!accepted) {
      asio::post(executor, [shared]() mutable {
        (*shared)(detail_response(503, "Service temporarily unavailable."));
      });
    }
  };
  return asio::async_initiate<CompletionToken, void(Response)>(initiate, token, &state, &request);
}

// Half-closes, drains what the client still sends (bounded), then closes.
asio::awaitable<void> close_gracefully(beast::tcp_stream& stream, bool drain) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (drain) {
    stream.expires_after(kDrainTime);
    std::array<char, 16 * 1024> scratch;
    std::size_t drained = 0;
    while (drained < kMaxDrainBytes) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kAwaitTuple);
      if (ec) break;
      drained += n;
    }
  }
  stream.socket().close(ignored);
}

// Answers a request the server rejects itself (400, 413, 431) and closes the connection.
asio::awaitable<void> reject(beast::tcp_stream& stream, const ServerState& state, int status,
                             std::string_view detail, unsigned version, std::string request_id,
                             const std::string& peer, std::string_view method,
                             std::string_view path, Clock::time_point started) {
  Response response = detail_response(status, detail);
  const std::size_t bytes = response.body.size();
  auto message = to_message(std::move(response), state.options, version, false, false, request_id);
  stream.expires_after(state.options.body_timeout);
  auto [ec, written] = co_await bhttp::async_write(stream, message, kAwaitTuple);
  (void)written;
  log_access(peer, method, path, status, ec ? 0 : bytes, started, request_id);
  if (!ec) co_await close_gracefully(stream, true);
}

asio::awaitable<void> serve_connection(ServerState* state, tcp::socket socket) {
  CounterGuard connection_count(state->connections);
  const ServerOptions& options = state->options;
  const std::string peer = peer_address(socket);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  bool first_request = true;

  while (true) {
    // A new connection's first header must be complete within header_timeout of the accept (a
    // slowloris client trickling bytes gains nothing). Between keep-alive requests the connection
    // may idle for idle_timeout; once the next request's first byte has come, its whole header
    // must arrive within header_timeout.
    if (first_request) {
      stream.expires_after(options.header_timeout);
      first_request = false;
    } else {
      if (buffer.size() == 0) {
        stream.expires_after(options.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kAwaitTuple);
        if (ec) break;
        buffer.commit(n);
      }
      stream.expires_after(options.header_timeout);
    }

    RequestParser parser;
    set_header_limits(parser, options);
    auto [header_ec, header_bytes] =
        co_await bhttp::async_read_header(stream, buffer, parser, kAwaitTuple);
    const auto started = Clock::now();
    if (header_ec) {
      if (header_ec == bhttp::error::body_limit) {
        co_await reject(stream, *state, 413, "Request body is too large.", 11, random_request_id(),
                        peer, "-", "-", started);
      } else if (header_ec == bhttp::error::header_limit) {
        co_await reject(stream, *state, 431, "Request header fields too large.", 11,
                        random_request_id(), peer, "-", "-", started);
      } else if (!is_disconnect(header_ec)) {
        co_await reject(stream, *state, 400, "Malformed request.", 11, random_request_id(), peer,
                        "-", "-", started);
      }
      break;
    }
    if (!header_within_limits(parser, header_bytes, options)) {
      co_await reject(stream, *state, 431, "Request header fields too large.",
                      parser.get().version(), random_request_id(), peer,
                      parser.get().method_string(), target_path(parser.get().target()), started);
      break;
    }

    state->in_flight.fetch_add(1);
    CounterGuard in_flight(state->in_flight);
    const auto& header = parser.get();
    const std::string method(header.method_string());
    const std::string raw_path(target_path(header.target()));
    const unsigned version = header.version();

    const std::uint64_t body_limit = body_limit_for(parser, options);
    parser.body_limit(body_limit);
    if (const auto length = parser.content_length(); length && *length > body_limit) {
      co_await reject(stream, *state, 413, "Request body is too large.", version,
                      choose_request_id(header["X-Request-Id"]), peer, method, raw_path, started);
      break;
    }
    if (!parser.is_done()) {
      if (version >= 11 && iequals(header[bhttp::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream.expires_after(options.body_timeout);
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue), kAwaitTuple);
        (void)n;
        if (ec) break;
      }
      stream.expires_after(options.body_timeout);
      auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kAwaitTuple);
      (void)body_bytes;
      if (body_ec == bhttp::error::body_limit) {
        co_await reject(stream, *state, 413, "Request body is too large.", version,
                        choose_request_id(header["X-Request-Id"]), peer, method, raw_path, started);
        break;
      }
      if (body_ec) {
        if (!is_disconnect(body_ec)) {
          co_await reject(stream, *state, 400, "Malformed request.", version,
                          choose_request_id(header["X-Request-Id"]), peer, method, raw_path,
                          started);
        }
        break;
      }
    }

    const bool client_keep_alive = parser.keep_alive();
    const bool head = parser.get().method() == bhttp::verb::head;
    Request request = to_request(parser.release(), peer);
    Response response = co_await async_handle(*state, request, asio::use_awaitable);

    const int status = response.status;
    const std::size_t bytes = head ? 0 : response.body.size();
    const bool keep_alive = client_keep_alive && !state->stopping.load();
    auto message =
        to_message(std::move(response), options, version, keep_alive, head, request.request_id);
    stream.expires_after(options.body_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, message, kAwaitTuple);
    (void)written;
    log_access(peer, method, raw_path, status, write_ec ? 0 : bytes, started, request.request_id);
    if (write_ec) break;
    if (!keep_alive) {
      co_await close_gracefully(stream, false);
      break;
    }
  }
}

void log_coroutine_failure(std::exception_ptr failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    spdlog::error("connection failed: {}", e.what());
  } catch (...) {
    spdlog::error("connection failed with a non-standard exception");
  }
}

asio::awaitable<void> accept_connections(ServerState* state, tcp::acceptor* acceptor,
                                         asio::io_context* io) {
  asio::steady_timer backoff(acceptor->get_executor());
  while (true) {
    // Each connection gets its own strand: tcp_stream is not thread-safe and io_threads run io.
    auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(*io), kAwaitTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || state->stopping.load()) co_return;
      // Out of file descriptors and the like: wait a little rather than spin.
      spdlog::warn("accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kAwaitTuple);
      continue;
    }
    if (state->connections.load() >= state->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    state->connections.fetch_add(1);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve_connection(state, std::move(socket)), log_coroutine_failure);
  }
}

asio::awaitable<void> shutdown_on_signal(ServerState* state, tcp::acceptor* acceptor,
                                         asio::signal_set* signals, asio::io_context* io) {
  auto [ec, signal] = co_await signals->async_wait(kAwaitTuple);
  if (ec) co_return;
  spdlog::info("signal {} received: stopping", signal);
  state->stopping.store(true);
  beast::error_code ignored;
  acceptor->close(ignored);

  // Idle keep-alive connections are simply dropped; requests already started get shutdown_grace.
  const auto deadline = Clock::now() + state->options.shutdown_grace;
  asio::steady_timer poll(acceptor->get_executor());
  while (state->in_flight.load() > 0 && Clock::now() < deadline) {
    poll.expires_after(std::chrono::milliseconds(10));
    co_await poll.async_wait(kAwaitTuple);
  }
  if (const auto left = state->in_flight.load(); left > 0) {
    spdlog::warn("{} request(s) still in flight after the shutdown grace period", left);
  }
  io->stop();
}

std::optional<tcp::endpoint> resolve(asio::io_context& io, const ServerOptions& options) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (!ec) return tcp::endpoint(address, options.port);
  tcp::resolver resolver(io);
  const auto results =
      resolver.resolve(options.host, std::to_string(options.port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    spdlog::error("cannot resolve {}: {}", options.host, ec ? ec.message() : "no address");
    return std::nullopt;
  }
  return results.begin()->endpoint();
}

}  // namespace

int run_server(const ServerOptions& options, Handler handler) {
  // Declaration order matters: the io_context (and the coroutine frames it owns) is destroyed
  // before the state those frames point to.
  ServerState state(options, std::move(handler));
  asio::io_context io(std::max(1, options.io_threads));
  tcp::acceptor acceptor(asio::make_strand(io));

  const auto endpoint = resolve(io, options);
  if (!endpoint) return 1;
  beast::error_code ec;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(*endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    spdlog::error("cannot listen on {}:{}: {}", options.host, options.port, ec.message());
    return 1;
  }
  // Installed before "listening on" is logged: a script may send SIGTERM as soon as it sees it.
  asio::signal_set signals(acceptor.get_executor(), SIGINT, SIGTERM);

  spdlog::info("listening on {}:{}", options.host, acceptor.local_endpoint().port());
  spdlog::default_logger()->flush();

  asio::co_spawn(acceptor.get_executor(), accept_connections(&state, &acceptor, &io),
                 log_coroutine_failure);
  asio::co_spawn(acceptor.get_executor(), shutdown_on_signal(&state, &acceptor, &signals, &io),
                 log_coroutine_failure);

  auto run_io = [&io] {
    while (true) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("io thread: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < options.io_threads; ++i) threads.emplace_back(run_io);
  run_io();
  for (auto& thread : threads) thread.join();

  // Waits for handlers still running (past the grace period); queued ones are dropped.
  state.pool.stop();
  spdlog::info("server stopped");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace chirp::http
