#pragma once
// The consuming side of the RabbitMQ job queue, run by `chirp worker` (DESIGN §5.3). Deliveries are
// acknowledged only after the handler returned, so a worker that dies (even SIGKILL) mid-job leaves
// its unacknowledged messages to be redelivered to another consumer; handlers are idempotent.
//
//   handler returns          → basic.ack
//   domain::MalformedJob     → logged, basic.ack: it can never succeed, so it is dropped
//   any other exception      → logged, a backoff growing with the attempts seen (and the
//                              `redelivered` flag), then basic.reject with requeue: never dropped
//   connection lost          → reconnect with backoff; the broker requeues what was unacked
//
// run() may be called from several threads at once: each call has its own connection.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/jobs.hpp"
#include "store/rabbitmq/amqp_connection.hpp"

namespace chirp::store::rabbitmq {

struct ConsumerBackoff {
  // Before requeueing a failed job: initial, doubling per attempt this process saw, capped. The
  // message is held (unacked) meanwhile, so the cap stays well below the heartbeat timeout.
  std::chrono::milliseconds job_initial{100};
  std::chrono::milliseconds job_max{5000};
  // Between reconnect attempts while RabbitMQ is unreachable; the cap bounds how long after the
  // broker's return a worker resumes.
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{2000};
};

class RabbitJobConsumer {
 public:
  explicit RabbitJobConsumer(AmqpOptions options, int prefetch = 16, ConsumerBackoff backoff = {});

  // Consumes until `stop` becomes true (checked at least every ~200 ms and between jobs), then
  // closes its connection; deliveries prefetched but not yet handled go back to the queue. A job
  // already running finishes first. Throws std::invalid_argument for a bad URL only.
  void run(const std::function<void(const domain::Job&)>& handler, const std::atomic<bool>& stop);

  std::int64_t processed() const { return processed_.load(); }  // handled and acked
  std::int64_t failed() const { return failed_.load(); }        // attempts that threw (requeued)
  std::int64_t dropped() const { return dropped_.load(); }      // malformed, acked unhandled
  // Time between the publish and the delivery of the latest job, for /metrics; -1 before any.
  std::int64_t last_lag_ms() const { return last_lag_ms_.load(); }

 private:
  using Handler = std::function<void(const domain::Job&)>;

  void consume(AmqpConnection& connection, const Handler& handler, const std::atomic<bool>& stop);
  void deliver(AmqpConnection& connection, const amqp_envelope_t& envelope, const Handler& handler,
               const std::atomic<bool>& stop);
  // Reads the frame that made amqp_consume_message stop early; fail()s if it closes the channel.
  void handle_unexpected_frame(AmqpConnection& connection);
  std::chrono::milliseconds failure_backoff(const domain::Job& job, bool redelivered);
  void forget_failures(const domain::Job& job);

  AmqpOptions options_;
  AmqpEndpoint endpoint_;
  int prefetch_;
  ConsumerBackoff backoff_;

  // Failed attempts per job (hash of kind and payload) seen by this process: a job that keeps
  // failing waits longer each time. Bounded; a job that succeeds is forgotten.
  std::mutex failures_mutex_;
  std::unordered_map<std::size_t, int> failures_;

  std::atomic<std::int64_t> processed_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<std::int64_t> dropped_{0};
  std::atomic<std::int64_t> last_lag_ms_{-1};
};

}  // namespace chirp::store::rabbitmq
