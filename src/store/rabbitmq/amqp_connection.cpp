#include "store/rabbitmq/amqp_connection.hpp"

#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/errors.hpp"

namespace chirp::store::rabbitmq {
namespace {

constexpr std::string_view kScheme = "amqp://";

timeval to_timeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

std::string to_string(amqp_bytes_t bytes) {
  return {static_cast<const char*>(bytes.bytes), bytes.len};
}

}  // namespace

std::string AmqpEndpoint::describe() const {
  return host + ":" + std::to_string(port) + (vhost == "/" ? "/%2F" : "/" + vhost);
}

AmqpEndpoint parse_amqp_url(std::string_view url) {
  if (!url.starts_with(kScheme)) {
    throw std::invalid_argument("AMQP URL must look like amqp://user:pass@host:port/vhost");
  }
  // amqp_parse_url would fill in "localhost" for a missing host; a URL without one is a mistake.
  std::string_view authority = url.substr(kScheme.size());
  authority = authority.substr(0, authority.find('/'));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.empty() || authority.front() == ':') {
    throw std::invalid_argument("AMQP URL has no host (expected amqp://user:pass@host:port/vhost)");
  }
  // amqp_parse_url decodes in place and points the fields into the buffer it was given.
  std::string buffer(url);
  amqp_connection_info info{};
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK || info.host == nullptr ||
      *info.host == '\0' || info.port <= 0 || info.port > 65535) {
    throw std::invalid_argument("invalid AMQP URL (expected amqp://user:pass@host:port/vhost)");
  }
  AmqpEndpoint endpoint;
  endpoint.host = info.host;
  endpoint.port = info.port;
  endpoint.user = info.user != nullptr ? info.user : "guest";
  endpoint.password = info.password != nullptr ? info.password : "guest";
  endpoint.vhost = info.vhost != nullptr ? info.vhost : "/";
  // "amqp://h:p/" names the empty vhost, which no broker has; people mean the default one.
  if (endpoint.vhost.empty()) endpoint.vhost = "/";
  return endpoint;
}

std::string describe_reply(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "ok";
    case AMQP_RESPONSE_NONE:
      return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto* close = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
        return "connection closed by the broker: " + std::to_string(close->reply_code) + " " +
               to_string(close->reply_text);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
        return "channel closed by the broker: " + std::to_string(close->reply_code) + " " +
               to_string(close->reply_text);
      }
      return "unexpected method from the broker: " + std::to_string(reply.reply.id);
  }
  return "unknown reply";
}

AmqpConnection::AmqpConnection(const AmqpEndpoint& endpoint, const AmqpOptions& options,
                               Purpose purpose)
    : endpoint_(endpoint), options_(options), state_(amqp_new_connection()) {
  if (state_ == nullptr) throw std::bad_alloc();
  try {
    open(purpose);
  } catch (...) {
    amqp_destroy_connection(state_);
    throw;
  }
}

void AmqpConnection::open(Purpose purpose) {
  amqp_socket_t* socket = amqp_tcp_socket_new(state_);  // owned by state_
  if (socket == nullptr) fail("cannot create a socket");
  timeval connect_timeout = to_timeval(options_.connect_timeout);
  check_status(
      amqp_socket_open_noblock(socket, endpoint_.host.c_str(), endpoint_.port, &connect_timeout),
      "connect");
  amqp_set_handshake_timeout(state_, &connect_timeout);
  timeval operation_timeout = to_timeval(options_.operation_timeout);
  amqp_set_rpc_timeout(state_, &operation_timeout);

  int heartbeat_s =
      purpose == Purpose::consume ? static_cast<int>(options_.consumer_heartbeat.count()) : 0;
  check_reply(
      amqp_login(state_, endpoint_.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE, heartbeat_s,
                 AMQP_SASL_METHOD_PLAIN, endpoint_.user.c_str(), endpoint_.password.c_str()),
      "login");
  logged_in_ = true;
  amqp_channel_open(state_, kChannel);
  check_reply(amqp_get_rpc_reply(state_), "channel.open");
  if (purpose == Purpose::publish) {
    amqp_confirm_select(state_, kChannel);
    check_reply(amqp_get_rpc_reply(state_), "confirm.select");
  }
}

AmqpConnection::~AmqpConnection() {
  // A broken connection may be half-way through a frame or waiting on a dead peer: closing it
  // politely could block for the whole operation timeout, so only the socket is closed.
  if (logged_in_ && !broken_) {
    amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
}

std::uint32_t AmqpConnection::declare_queue(const std::string& name, bool passive) {
  const amqp_queue_declare_ok_t* ok =
      amqp_queue_declare(state_, kChannel, amqp_cstring_bytes(name.c_str()), passive ? 1 : 0,
                         /*durable=*/1, /*exclusive=*/0, /*auto_delete=*/0, amqp_empty_table);
  check_reply(amqp_get_rpc_reply(state_), "queue.declare " + name);
  return ok != nullptr ? ok->message_count : 0;
}

void AmqpConnection::fail(std::string_view what) {
  broken_ = true;
  throw Unavailable("rabbitmq " + endpoint_.describe() + ": " + std::string(what));
}

void AmqpConnection::check_reply(const amqp_rpc_reply_t& reply, std::string_view what) {
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) return;
  fail(std::string(what) + ": " + describe_reply(reply));
}

void AmqpConnection::check_status(int status, std::string_view what) {
  if (status == AMQP_STATUS_OK) return;
  fail(std::string(what) + ": " + amqp_error_string2(status));
}

}  // namespace chirp::store::rabbitmq
