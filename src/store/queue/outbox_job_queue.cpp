#include "store/queue/outbox_job_queue.hpp"

#include <utility>

namespace chirp::store::queue {

OutboxJobQueue::OutboxJobQueue(domain::OutboxRepository& outbox, std::function<void()> on_publish)
    : outbox_(outbox), on_publish_(std::move(on_publish)) {}

void OutboxJobQueue::publish(const domain::Job& job) {
  outbox_.add(job);
  if (on_publish_) on_publish_();
}

}  // namespace chirp::store::queue
