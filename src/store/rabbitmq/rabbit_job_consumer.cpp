#include "store/rabbitmq/rabbit_job_consumer.hpp"

#include <spdlog/spdlog.h>
#include <sys/time.h>

#include <algorithm>
#include <exception>
#include <string_view>
#include <thread>
#include <utility>

#include "common/errors.hpp"

namespace chirp::store::rabbitmq {
namespace {

// How long one wait for a delivery lasts: bounds how late run() notices `stop`.
constexpr timeval kPollTimeout{0, 200 * 1000};
constexpr std::size_t kMaxRememberedFailures = 10000;
constexpr std::string_view kPublishedAtHeader = "published_at_ms";

std::string_view view_of(amqp_bytes_t bytes) {
  return {static_cast<const char*>(bytes.bytes), bytes.len};
}

std::string describe_current_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// Sleeps for `duration`, returning early once `stop` is set.
void sleep_unless_stopped(std::chrono::milliseconds duration, const std::atomic<bool>& stop) {
  constexpr std::chrono::milliseconds kStep{50};
  auto deadline = std::chrono::steady_clock::now() + duration;
  while (!stop.load()) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kStep));
  }
}

std::int64_t published_at_ms(const amqp_basic_properties_t& properties) {
  if ((properties._flags & AMQP_BASIC_HEADERS_FLAG) == 0) return -1;
  for (int i = 0; i < properties.headers.num_entries; ++i) {
    const amqp_table_entry_t& entry = properties.headers.entries[i];
    if (view_of(entry.key) == kPublishedAtHeader && entry.value.kind == AMQP_FIELD_KIND_I64) {
      return entry.value.value.i64;
    }
  }
  return -1;
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct EnvelopeGuard {
  amqp_envelope_t& envelope;
  ~EnvelopeGuard() { amqp_destroy_envelope(&envelope); }
};

}  // namespace

RabbitJobConsumer::RabbitJobConsumer(AmqpOptions options, int prefetch, ConsumerBackoff backoff)
    : options_(std::move(options)),
      endpoint_(parse_amqp_url(options_.url)),
      prefetch_(std::clamp(prefetch, 1, 65535)),
      backoff_(backoff) {}

void RabbitJobConsumer::run(const Handler& handler, const std::atomic<bool>& stop) {
  auto reconnect_delay = backoff_.reconnect_initial;
  bool lost = false;
  while (!stop.load()) {
    try {
      AmqpConnection connection(endpoint_, options_, AmqpConnection::Purpose::consume);
      amqp_connection_state_t state = connection.state();
      connection.declare_queue(options_.queue);
      amqp_basic_qos(state, AmqpConnection::kChannel, 0, static_cast<std::uint16_t>(prefetch_), 0);
      connection.check_reply(amqp_get_rpc_reply(state), "basic.qos");
      amqp_basic_consume(state, AmqpConnection::kChannel,
                         amqp_cstring_bytes(options_.queue.c_str()), amqp_empty_bytes,
                         /*no_local=*/0, /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
      connection.check_reply(amqp_get_rpc_reply(state), "basic.consume");
      if (lost) spdlog::info("job consumer: consuming {} again", options_.queue);
      lost = false;
      reconnect_delay = backoff_.reconnect_initial;
      consume(connection, handler, stop);
    } catch (const Unavailable& e) {
      lost = true;
      spdlog::warn("job consumer: {}; reconnecting in {} ms", e.what(), reconnect_delay.count());
      sleep_unless_stopped(reconnect_delay, stop);
      reconnect_delay = std::min(reconnect_delay * 2, backoff_.reconnect_max);
    }
  }
}

void RabbitJobConsumer::consume(AmqpConnection& connection, const Handler& handler,
                                const std::atomic<bool>& stop) {
  amqp_connection_state_t state = connection.state();
  while (!stop.load()) {
    amqp_maybe_release_buffers(state);
    amqp_envelope_t envelope;
    timeval timeout = kPollTimeout;
    amqp_rpc_reply_t reply = amqp_consume_message(state, &envelope, &timeout, 0);
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
      EnvelopeGuard guard{envelope};
      deliver(connection, envelope, handler, stop);
      continue;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) {
      if (reply.library_error == AMQP_STATUS_TIMEOUT) continue;
      if (reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        handle_unexpected_frame(connection);
        continue;
      }
    }
    connection.check_reply(reply, "waiting for deliveries");
  }
}

void RabbitJobConsumer::deliver(AmqpConnection& connection, const amqp_envelope_t& envelope,
                                const Handler& handler, const std::atomic<bool>& stop) {
  amqp_connection_state_t state = connection.state();
  const amqp_basic_properties_t& properties = envelope.message.properties;
  auto ack = [&] {
    connection.check_status(
        amqp_basic_ack(state, AmqpConnection::kChannel, envelope.delivery_tag, /*multiple=*/0),
        "basic.ack");
  };

  if ((properties._flags & AMQP_BASIC_TYPE_FLAG) == 0 || properties.type.len == 0) {
    spdlog::error("job consumer: a message without a job type in {}: dropped", options_.queue);
    ack();
    dropped_.fetch_add(1);
    return;
  }
  domain::Job job{std::string(view_of(properties.type)),
                  std::string(view_of(envelope.message.body))};
  if (auto published = published_at_ms(properties); published >= 0) {
    last_lag_ms_.store(std::max<std::int64_t>(0, unix_ms_now() - published));
  }

  try {
    handler(job);
  } catch (const domain::MalformedJob& e) {
    spdlog::error("job consumer: malformed {} job dropped: {}", job.kind, e.what());
    ack();
    dropped_.fetch_add(1);
    return;
  } catch (...) {
    failed_.fetch_add(1);
    auto delay = failure_backoff(job, envelope.redelivered != 0);
    spdlog::warn("job consumer: {} job failed: {}; requeued in {} ms", job.kind,
                 describe_current_exception(), delay.count());
    sleep_unless_stopped(delay, stop);
    connection.check_status(
        amqp_basic_reject(state, AmqpConnection::kChannel, envelope.delivery_tag, /*requeue=*/1),
        "basic.reject");
    return;
  }
  forget_failures(job);
  // If this ack is lost (connection broken), the job runs again elsewhere: handlers are idempotent.
  ack();
  processed_.fetch_add(1);
}

void RabbitJobConsumer::handle_unexpected_frame(AmqpConnection& connection) {
  amqp_connection_state_t state = connection.state();
  amqp_frame_t frame;
  timeval timeout = kPollTimeout;
  int status = amqp_simple_wait_frame_noblock(state, &frame, &timeout);
  if (status == AMQP_STATUS_TIMEOUT) return;
  connection.check_status(status, "reading a frame");
  if (frame.frame_type != AMQP_FRAME_METHOD) return;
  switch (frame.payload.method.id) {
    case AMQP_CHANNEL_CLOSE_METHOD:
    case AMQP_CONNECTION_CLOSE_METHOD: {
      amqp_rpc_reply_t reply{};
      reply.reply_type = AMQP_RESPONSE_SERVER_EXCEPTION;
      reply.reply = frame.payload.method;
      connection.fail("while consuming: " + describe_reply(reply));
    }
    case AMQP_BASIC_CANCEL_METHOD:
      connection.fail("the broker cancelled the consumer (queue deleted?)");
    case AMQP_BASIC_RETURN_METHOD: {
      amqp_message_t message;
      connection.check_reply(amqp_read_message(state, frame.channel, &message, 0),
                             "reading a returned message");
      amqp_destroy_message(&message);
      return;
    }
    default:
      return;
  }
}

std::chrono::milliseconds RabbitJobConsumer::failure_backoff(const domain::Job& job,
                                                             bool redelivered) {
  int attempts;
  {
    std::lock_guard lock(failures_mutex_);
    if (failures_.size() >= kMaxRememberedFailures) failures_.clear();
    attempts = ++failures_[std::hash<std::string>{}(job.kind + '\n' + job.payload)];
  }
  // Another consumer may already have failed it: start one step further.
  if (redelivered && attempts == 1) attempts = 2;
  auto delay = backoff_.job_initial;
  for (int i = 1; i < attempts && delay < backoff_.job_max; ++i) delay *= 2;
  return std::min(delay, backoff_.job_max);
}

void RabbitJobConsumer::forget_failures(const domain::Job& job) {
  std::lock_guard lock(failures_mutex_);
  if (failures_.empty()) return;
  failures_.erase(std::hash<std::string>{}(job.kind + '\n' + job.payload));
}

}  // namespace chirp::store::rabbitmq
