#include "store/queue/outbox_relay.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace chirp::store::queue {
namespace {

// Failed rows remembered for their backoff; rows finished by another process are never erased, so
// the memory is bounded by forgetting everything now and then (they are simply retried sooner).
constexpr std::size_t kMaxRememberedFailures = 10000;

std::string describe_current_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

OutboxRelay::OutboxRelay(domain::OutboxRepository& outbox, domain::JobQueue& target,
                         RelayOptions options)
    : outbox_(outbox), target_(target), options_(options) {
  options_.batch = std::max<std::size_t>(1, options_.batch);
}

OutboxRelay::~OutboxRelay() {
  stop();
}

void OutboxRelay::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] { loop(); });
}

void OutboxRelay::wake() {
  {
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
  }
  cv_.notify_one();
}

void OutboxRelay::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Passes over the pending rows in id order, batch by batch. A pass that reaches the end waits for
// wake() or the poll interval and starts again from the first pending row; one that hits a queue
// outage resumes at the row that could not be published, so the order is kept.
void OutboxRelay::loop() {
  std::int64_t after_id = 0;
  while (true) {
    PassResult result = relay_batch(after_id);
    auto now = Clock::now();
    switch (result) {
      case PassResult::more:
        continue;
      case PassResult::drained:
        after_id = 0;
        if (!wait(now + options_.poll_interval, /*wakeable=*/true)) return;
        continue;
      case PassResult::queue_down:
        if (!wait(now + options_.retry_backoff, /*wakeable=*/false)) return;
        continue;
      case PassResult::store_down:
        after_id = 0;
        if (!wait(now + options_.poll_interval, /*wakeable=*/false)) return;
        continue;
      case PassResult::stopped:
        return;
    }
  }
}

OutboxRelay::PassResult OutboxRelay::relay_batch(std::int64_t& after_id) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return PassResult::stopped;
    wake_requested_ = false;  // this read sees every row committed before the wake
  }
  std::vector<domain::OutboxRow> rows;
  try {
    rows = outbox_.pending(after_id, options_.batch);
  } catch (...) {
    spdlog::warn("outbox relay: cannot read the outbox, retrying in {} ms: {}",
                 options_.poll_interval.count(), describe_current_exception());
    return PassResult::store_down;
  }

  for (const auto& row : rows) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return PassResult::stopped;
    }
    if (auto retry = retry_at_.find(row.id); retry != retry_at_.end()) {
      if (retry->second > Clock::now()) {
        after_id = row.id;
        continue;
      }
    }

    try {
      target_.publish(row.job);
    } catch (const Unavailable& e) {
      publish_failures_.fetch_add(1);
      if (queue_reachable_.exchange(false)) {
        spdlog::warn("outbox relay: job queue unreachable, holding outbox rows from {}: {}", row.id,
                     e.what());
      }
      after_id = row.id - 1;  // resume at this row
      return PassResult::queue_down;
    } catch (...) {
      publish_failures_.fetch_add(1);
      int attempts = row.attempts + 1;
      auto delay = options_.retry_backoff;
      for (int i = 1; i < attempts && delay < options_.max_retry_backoff; ++i) delay *= 2;
      delay = std::min(delay, options_.max_retry_backoff);
      spdlog::error(
          "outbox relay: cannot publish row {} ({} job, attempt {}), retrying in {} ms: {}", row.id,
          row.job.kind, attempts, delay.count(), describe_current_exception());
      try {
        outbox_.record_failure(row.id);
      } catch (...) {
        spdlog::warn("outbox relay: cannot record the failure of row {}: {}", row.id,
                     describe_current_exception());
      }
      if (retry_at_.size() >= kMaxRememberedFailures) retry_at_.clear();
      retry_at_[row.id] = Clock::now() + delay;
      after_id = row.id;
      continue;
    }
    if (!queue_reachable_.exchange(true)) {
      spdlog::info("outbox relay: job queue reachable again, relaying from row {}", row.id);
    }
    retry_at_.erase(row.id);

    try {
      outbox_.mark_done(row.id);
    } catch (...) {
      // Published but still pending: it will be published once more later (a harmless duplicate).
      // Stop here, or every remaining row of the batch would be duplicated the same way.
      spdlog::warn("outbox relay: row {} published but not marked done, retrying in {} ms: {}",
                   row.id, options_.poll_interval.count(), describe_current_exception());
      return PassResult::store_down;
    }
    relayed_.fetch_add(1);
    after_id = row.id;
  }
  return rows.size() == options_.batch ? PassResult::more : PassResult::drained;
}

bool OutboxRelay::wait(Clock::time_point deadline, bool wakeable) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wakeable && wake_requested_) return true;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) return !stopping_;
  }
  return false;
}

}  // namespace chirp::store::queue
