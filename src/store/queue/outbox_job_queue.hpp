#pragma once
// JobQueue of the embedded stack: a job is durable once its outbox row exists, and LocalJobRunner
// runs it from there. `on_publish` tells the runner to look now rather than at its next poll.
#include <functional>

#include "domain/jobs.hpp"
#include "domain/social_repositories.hpp"

namespace chirp::store::queue {

class OutboxJobQueue final : public domain::JobQueue {
 public:
  OutboxJobQueue(domain::OutboxRepository& outbox, std::function<void()> on_publish);
  void publish(const domain::Job& job) override;

 private:
  domain::OutboxRepository& outbox_;
  std::function<void()> on_publish_;
};

}  // namespace chirp::store::queue
