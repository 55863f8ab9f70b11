#pragma once
// JobQueue of the full stack (DESIGN §5.3): publishes each job to a durable RabbitMQ queue as a
// persistent message and returns only once the broker confirmed it (publisher confirms), so a job
// is durable when publish() returns — the contract of domain::JobQueue. The job kind travels in the
// `type` property and the payload is the body; the header "published_at_ms" lets consumers measure
// queue lag.
//
// Thread-safe: each publishing thread borrows a connection from a small pool (one publish in flight
// per connection keeps confirms trivially matched). A connection that failed is dropped; a publish
// that fails on a reused connection is retried once on a new one, so a broker restart costs no
// error. chirp::Unavailable means the job was not stored: the outbox relay keeps its row, a job
// that publishes batches fails and is redelivered.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "domain/jobs.hpp"
#include "store/rabbitmq/amqp_connection.hpp"

namespace chirp::store::rabbitmq {

class RabbitJobQueue final : public domain::JobQueue {
 public:
  // Validates the URL (std::invalid_argument) but does not connect: chirp must start, and accept
  // posts into its outbox, while RabbitMQ is down.
  explicit RabbitJobQueue(AmqpOptions options);
  ~RabbitJobQueue() override;
  RabbitJobQueue(const RabbitJobQueue&) = delete;
  RabbitJobQueue& operator=(const RabbitJobQueue&) = delete;

  void publish(const domain::Job& job) override;

  // Messages ready in the queue (not yet delivered to a consumer), or -1 when RabbitMQ cannot be
  // asked: for /metrics.
  std::int64_t queue_depth();
  // RabbitMQ answers and the queue exists: for /readyz.
  bool ping();

 private:
  std::unique_ptr<AmqpConnection> borrow(bool& reused);
  void give_back(std::unique_ptr<AmqpConnection> connection);
  template <typename Operation>
  auto with_connection(std::string_view what, Operation&& operation);
  void publish_on(AmqpConnection& connection, const domain::Job& job);

  AmqpOptions options_;
  AmqpEndpoint endpoint_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<AmqpConnection>> idle_;
};

}  // namespace chirp::store::rabbitmq
