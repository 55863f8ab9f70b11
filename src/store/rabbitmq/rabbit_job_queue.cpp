#include "store/rabbitmq/rabbit_job_queue.hpp"

#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/errors.hpp"

namespace chirp::store::rabbitmq {
namespace {

using Clock = std::chrono::steady_clock;

// Connections kept for reuse; more publishing threads than this open extra ones and close them.
constexpr std::size_t kMaxIdleConnections = 8;
constexpr std::uint8_t kPersistent = 2;  // AMQP delivery_mode: written to disk by the broker
constexpr char kPublishedAtHeader[] = "published_at_ms";

amqp_bytes_t bytes_of(const std::string& text) {
  return {text.size(), const_cast<char*>(text.data())};  // rabbitmq-c only reads it
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RabbitJobQueue::RabbitJobQueue(AmqpOptions options)
    : options_(std::move(options)), endpoint_(parse_amqp_url(options_.url)) {}

RabbitJobQueue::~RabbitJobQueue() = default;

std::unique_ptr<AmqpConnection> RabbitJobQueue::borrow(bool& reused) {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return connection;
    }
  }
  reused = false;
  auto connection =
      std::make_unique<AmqpConnection>(endpoint_, options_, AmqpConnection::Purpose::publish);
  // The default exchange drops messages for a queue that does not exist, so make sure it does.
  connection->declare_queue(options_.queue);
  return connection;
}

void RabbitJobQueue::give_back(std::unique_ptr<AmqpConnection> connection) {
  if (connection->broken()) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
}

// Runs `operation` on a pooled connection. A reused connection may have died while idle (broker
// restart), so a failure there is retried once on a fresh connection.
template <typename Operation>
auto RabbitJobQueue::with_connection(std::string_view what, Operation&& operation) {
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    auto connection = borrow(reused);
    try {
      if constexpr (std::is_void_v<decltype(operation(*connection))>) {
        operation(*connection);
        give_back(std::move(connection));
        return;
      } else {
        auto result = operation(*connection);
        give_back(std::move(connection));
        return result;
      }
    } catch (const Unavailable& e) {
      bool retry = reused && attempt == 0;
      spdlog::debug("{}: {}{}", what, e.what(), retry ? "; retrying on a new connection" : "");
      if (connection->broken() && reused) {
        // The other idle connections most likely died the same way: drop them all, without the
        // polite close that could wait on a vanished broker, so the retry really uses a new one.
        std::lock_guard lock(mutex_);
        for (auto& idle : idle_) idle->mark_broken();
        idle_.clear();
      }
      give_back(std::move(connection));
      if (!retry) throw;
    }
  }
}

void RabbitJobQueue::publish(const domain::Job& job) {
  with_connection("publish", [&](AmqpConnection& connection) { publish_on(connection, job); });
}

// Publishes with mandatory=true and waits for the confirm. The broker answers basic.return (then
// basic.ack) for a message no queue took — the queue was deleted — which must not count as stored.
void RabbitJobQueue::publish_on(AmqpConnection& connection, const domain::Job& job) {
  amqp_connection_state_t state = connection.state();

  amqp_table_entry_t published_at{};
  published_at.key = amqp_cstring_bytes(kPublishedAtHeader);
  published_at.value.kind = AMQP_FIELD_KIND_I64;
  published_at.value.value.i64 = unix_ms_now();

  amqp_basic_properties_t properties{};
  properties._flags =
      AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_HEADERS_FLAG;
  properties.delivery_mode = kPersistent;
  properties.type = bytes_of(job.kind);
  properties.headers.num_entries = 1;
  properties.headers.entries = &published_at;

  std::uint64_t tag = connection.next_publish_tag();
  connection.check_status(
      amqp_basic_publish(state, AmqpConnection::kChannel, amqp_empty_bytes,
                         amqp_cstring_bytes(options_.queue.c_str()), /*mandatory=*/1,
                         /*immediate=*/0, &properties, bytes_of(job.payload)),
      "basic.publish");

  auto deadline = Clock::now() + options_.operation_timeout;
  bool returned = false;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
    if (left.count() <= 0) connection.fail("no publisher confirm in time");
    timeval timeout{static_cast<time_t>(left.count() / 1000000),
                    static_cast<suseconds_t>(left.count() % 1000000)};
    amqp_frame_t frame;
    int status = amqp_simple_wait_frame_noblock(state, &frame, &timeout);
    if (status == AMQP_STATUS_TIMEOUT) connection.fail("no publisher confirm in time");
    connection.check_status(status, "waiting for the publisher confirm");
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;

    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<const amqp_basic_ack_t*>(frame.payload.method.decoded);
        if (ack->delivery_tag < tag) continue;  // cannot happen with one publish in flight
        amqp_maybe_release_buffers(state);
        if (returned) {
          // Drop the connection so the next one declares the queue again.
          connection.fail("queue " + options_.queue + " does not exist; message returned");
        }
        return;
      }
      case AMQP_BASIC_NACK_METHOD: {
        const auto* nack = static_cast<const amqp_basic_nack_t*>(frame.payload.method.decoded);
        if (nack->delivery_tag < tag) continue;
        amqp_maybe_release_buffers(state);
        // The broker could not store it (internal error); the connection itself is fine.
        throw Unavailable("rabbitmq " + connection.endpoint().describe() +
                          ": the broker rejected (nacked) the message");
      }
      case AMQP_BASIC_RETURN_METHOD: {
        amqp_message_t message;
        connection.check_reply(amqp_read_message(state, frame.channel, &message, 0),
                               "reading a returned message");
        amqp_destroy_message(&message);
        returned = true;
        continue;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD: {
        amqp_rpc_reply_t reply{};
        reply.reply_type = AMQP_RESPONSE_SERVER_EXCEPTION;
        reply.reply = frame.payload.method;
        connection.fail("while publishing: " + describe_reply(reply));
      }
      default:
        continue;
    }
  }
}

std::int64_t RabbitJobQueue::queue_depth() {
  try {
    return with_connection("queue depth", [this](AmqpConnection& connection) {
      return static_cast<std::int64_t>(connection.declare_queue(options_.queue, /*passive=*/true));
    });
  } catch (const Unavailable& e) {
    spdlog::debug("queue depth: {}", e.what());
    return -1;
  }
}

bool RabbitJobQueue::ping() {
  return queue_depth() >= 0;
}

}  // namespace chirp::store::rabbitmq
