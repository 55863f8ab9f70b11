#pragma once
// One AMQP 0-9-1 connection to RabbitMQ (rabbitmq-c) with one channel, for the job queue of the
// full stack (DESIGN §5.3). Connection-level failures surface as chirp::Unavailable and leave the
// object broken(); owners then drop it and connect again — rabbitmq-c cannot resume a connection
// after an error or a timeout, so a fresh one is the only safe recovery.
#include <amqp.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace chirp::store::rabbitmq {

struct AmqpOptions {
  // amqp://user:pass@host:port/vhost; the default vhost "/" is written %2F.
  std::string url = "amqp://guest:guest@127.0.0.1:5672/%2F";
  std::string queue = "chirp.jobs";  // durable; declared by every connection that uses it
  std::chrono::milliseconds connect_timeout{2000};  // TCP connect, and separately the login
  // Any synchronous exchange with the broker: queue declares, qos, and waiting for a publish
  // confirm. A broker that stops answering costs at most this long per call.
  std::chrono::milliseconds operation_timeout{5000};
  // Consumers only: lets both sides notice a dead peer (a crashed worker host, a vanished broker)
  // while no message flows. rabbitmq-c answers heartbeats only inside library calls, so a job must
  // finish within about two intervals or the broker drops the connection and redelivers it.
  // Publishers leave heartbeats off, or an idle publisher would be dropped the same way; a stale
  // publisher connection fails on use and is replaced.
  std::chrono::seconds consumer_heartbeat{60};
};

struct AmqpEndpoint {
  std::string host;
  int port = 5672;
  std::string user;
  std::string password;
  std::string vhost;

  std::string describe() const;  // host:port/vhost, no credentials: for logs and errors
};

// Parses amqp://[user[:pass]@]host[:port][/vhost] (vhost percent-decoded, "/" when absent).
// Throws std::invalid_argument on anything else, including amqps:// (TLS is not supported yet).
AmqpEndpoint parse_amqp_url(std::string_view url);

class AmqpConnection {
 public:
  enum class Purpose { publish, consume };
  static constexpr amqp_channel_t kChannel = 1;

  // Connects, logs in and opens kChannel (in confirm mode for Purpose::publish). Throws
  // chirp::Unavailable when the broker cannot be reached or refuses the login.
  AmqpConnection(const AmqpEndpoint& endpoint, const AmqpOptions& options, Purpose purpose);
  ~AmqpConnection();
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  amqp_connection_state_t state() const { return state_; }
  const AmqpEndpoint& endpoint() const { return endpoint_; }
  const AmqpOptions& options() const { return options_; }
  bool broken() const { return broken_; }
  // Presumes the connection dead: the destructor then closes the socket without the close
  // handshake (which would wait for a broker that may be gone).
  void mark_broken() { broken_ = true; }

  // Declares a durable, non-exclusive queue (passive: only checks it exists) and returns the number
  // of messages ready in it. A passive declare of a missing queue closes the channel: broken().
  std::uint32_t declare_queue(const std::string& name, bool passive = false);

  // Marks the connection broken and throws chirp::Unavailable("rabbitmq <endpoint>: <what>").
  [[noreturn]] void fail(std::string_view what);
  // Checks the result of a synchronous call (rabbitmq-c's amqp_get_rpc_reply); fail()s otherwise.
  void check_reply(const amqp_rpc_reply_t& reply, std::string_view what);
  void check_status(int status, std::string_view what);

  // Delivery tag the broker gives the next publish on this channel (confirm mode counts from 1).
  std::uint64_t next_publish_tag() { return ++published_; }

 private:
  void open(Purpose purpose);

  AmqpEndpoint endpoint_;
  AmqpOptions options_;
  amqp_connection_state_t state_;
  bool logged_in_ = false;
  bool broken_ = false;
  std::uint64_t published_ = 0;
};

// Human-readable text of a failed rpc reply (library error, or the broker's close reason).
std::string describe_reply(const amqp_rpc_reply_t& reply);

}  // namespace chirp::store::rabbitmq
