#pragma once
// Helpers for the tests that need a real RabbitMQ: CHIRP_TEST_AMQP_URL names it
// (scripts/rabbitmq.sh start DIR prints one); tests that need it skip when it is unset. Each test
// uses its own queue and deletes it afterwards.
#include <amqp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "store/rabbitmq/amqp_connection.hpp"

namespace chirp::test {

inline std::optional<std::string> amqp_test_url() {
  const char* url = std::getenv("CHIRP_TEST_AMQP_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

#define CHIRP_REQUIRE_AMQP()                                                             \
  do {                                                                                   \
    if (!chirp::test::amqp_test_url()) GTEST_SKIP() << "CHIRP_TEST_AMQP_URL is not set"; \
  } while (0)

inline std::string unique_queue_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::random_device random;
  return std::string("chirp.test.") + info->name() + "." + std::to_string(random());
}

inline store::rabbitmq::AmqpOptions test_options(const std::string& queue) {
  store::rabbitmq::AmqpOptions options;
  options.url = *amqp_test_url();
  options.queue = queue;
  options.operation_timeout = std::chrono::milliseconds(3000);
  return options;
}

// A message as the broker stores it, fetched with basic.get (auto-ack).
struct FetchedMessage {
  std::string type;
  std::string body;
  int delivery_mode = 0;
  bool redelivered = false;
};

// A plain connection for looking at a queue from the outside; deletes the queue when destroyed.
class QueueInspector {
 public:
  explicit QueueInspector(std::string queue)
      : options_(test_options(queue)),
        connection_(store::rabbitmq::parse_amqp_url(options_.url), options_,
                    store::rabbitmq::AmqpConnection::Purpose::consume) {
    connection_.declare_queue(options_.queue);
  }
  ~QueueInspector() {
    if (connection_.broken()) return;
    amqp_queue_delete(connection_.state(), kChannel, amqp_cstring_bytes(options_.queue.c_str()), 0,
                      0);
  }

  std::uint32_t ready() { return connection_.declare_queue(options_.queue, /*passive=*/true); }

  std::optional<FetchedMessage> get() {
    amqp_connection_state_t state = connection_.state();
    amqp_rpc_reply_t reply =
        amqp_basic_get(state, kChannel, amqp_cstring_bytes(options_.queue.c_str()), /*no_ack=*/1);
    connection_.check_reply(reply, "basic.get");
    if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) return std::nullopt;
    const auto* ok = static_cast<const amqp_basic_get_ok_t*>(reply.reply.decoded);
    FetchedMessage fetched;
    fetched.redelivered = ok->redelivered != 0;
    amqp_message_t message;
    connection_.check_reply(amqp_read_message(state, kChannel, &message, 0), "read_message");
    auto text = [](amqp_bytes_t b) {
      return std::string(static_cast<const char*>(b.bytes), b.len);
    };
    if (message.properties._flags & AMQP_BASIC_TYPE_FLAG)
      fetched.type = text(message.properties.type);
    if (message.properties._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) {
      fetched.delivery_mode = message.properties.delivery_mode;
    }
    fetched.body = text(message.body);
    amqp_destroy_message(&message);
    amqp_maybe_release_buffers(state);
    return fetched;
  }

  store::rabbitmq::AmqpConnection& connection() { return connection_; }
  const store::rabbitmq::AmqpOptions& options() const { return options_; }

 private:
  static constexpr amqp_channel_t kChannel = store::rabbitmq::AmqpConnection::kChannel;
  store::rabbitmq::AmqpOptions options_;
  store::rabbitmq::AmqpConnection connection_;
};

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

// A loopback port nothing listens on (bound, then released).
inline int closed_local_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace chirp::test
