#include "store/queue/local_job_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace chirp::store::queue {
namespace {

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

LocalJobRunner::LocalJobRunner(domain::OutboxRepository& outbox, JobHandler handler,
                               JobRunnerOptions options)
    : outbox_(outbox),
      handler_(std::move(handler)),
      options_(options),
      queue_capacity_(std::max<std::size_t>(1, options.claim_batch)) {
  options_.claim_batch = queue_capacity_;
}

LocalJobRunner::~LocalJobRunner() {
  stop();
}

void LocalJobRunner::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_ || options_.workers <= 0) return;
  started_ = true;
  fetcher_ = std::thread([this] { fetch_loop(); });
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work_loop(); });
}

void LocalJobRunner::wake() {
  {
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
  }
  fetcher_cv_.notify_one();
}

void LocalJobRunner::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  fetcher_cv_.notify_all();
  workers_cv_.notify_all();
}

void LocalJobRunner::stop() {
  request_stop();
  if (fetcher_.joinable()) fetcher_.join();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
  std::lock_guard lock(mutex_);
  ready_.clear();  // never started: their rows are still pending in the outbox
  in_flight_.clear();
}

// Reads the outbox in id order, batch by batch. At the end it sleeps until wake() (then reads only
// rows past the largest id seen), a failed row's retry time or the poll interval (then a full pass
// from the start, which also retries failed rows and finds rows committed out of id order).
void LocalJobRunner::fetch_loop() {
  std::int64_t after_id = 0;
  std::int64_t high_water = 0;
  bool full_pass = true;
  Clock::time_point pass_started = Clock::now();
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      finished_during_read_.clear();
    }
    std::vector<domain::OutboxRow> rows;
    try {
      rows = outbox_.pending(after_id, options_.claim_batch);
    } catch (...) {
      spdlog::warn("job runner: cannot read the outbox, retrying in {} ms: {}",
                   options_.poll_interval.count(), describe_current_exception());
      std::unique_lock lock(mutex_);
      // Wakes are ignored here: a store that is down must not be hammered by every publish.
      if (fetcher_cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_; })) return;
      after_id = 0;
      full_pass = true;
      pass_started = Clock::now();
      continue;
    }

    std::unique_lock lock(mutex_);
    bool more = rows.size() == options_.claim_batch;
    if (!rows.empty()) {
      after_id = rows.back().id;
      high_water = std::max(high_water, after_id);
    }
    if (!dispatch(rows, lock)) return;
    if (more) continue;

    if (full_pass) {
      // A row due for retry before this pass began and not picked up by it is no longer pending
      // (done by another process): forget it, or its past retry time would wake us forever.
      std::erase_if(retry_at_, [&](const auto& entry) {
        return entry.second <= pass_started && !in_flight_.contains(entry.first);
      });
    }
    auto poll_deadline = Clock::now() + options_.poll_interval;
    while (true) {
      if (stopping_) return;
      if (wake_requested_) {
        wake_requested_ = false;
        after_id = high_water;
        full_pass = false;
        break;
      }
      auto now = Clock::now();
      auto next_retry = earliest_retry();
      if (now >= poll_deadline || next_retry <= now) {
        after_id = 0;
        full_pass = true;
        pass_started = now;
        break;
      }
      fetcher_cv_.wait_until(lock, std::min(poll_deadline, next_retry));
    }
  }
}

bool LocalJobRunner::dispatch(std::vector<domain::OutboxRow>& rows,
                              std::unique_lock<std::mutex>& lock) {
  for (auto& row : rows) {
    if (in_flight_.contains(row.id) || finished_during_read_.contains(row.id)) continue;
    if (auto retry = retry_at_.find(row.id);
        retry != retry_at_.end() && retry->second > Clock::now()) {
      continue;
    }
    fetcher_cv_.wait(lock, [this] { return stopping_ || ready_.size() < queue_capacity_; });
    if (stopping_) return false;
    in_flight_.insert(row.id);
    ready_.push_back(std::move(row));
    workers_cv_.notify_one();
  }
  return true;
}

LocalJobRunner::Clock::time_point LocalJobRunner::earliest_retry() const {
  auto earliest = Clock::time_point::max();
  for (const auto& [id, at] : retry_at_) {
    if (!in_flight_.contains(id)) earliest = std::min(earliest, at);
  }
  return earliest;
}

void LocalJobRunner::work_loop() {
  while (true) {
    domain::OutboxRow row;
    {
      std::unique_lock lock(mutex_);
      workers_cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
      if (stopping_) return;
      row = std::move(ready_.front());
      ready_.pop_front();
    }
    fetcher_cv_.notify_one();  // there is room in the queue again
    run(row);
  }
}

void LocalJobRunner::run(const domain::OutboxRow& row) {
  bool succeeded = false;
  try {
    handler_(row.job);
    succeeded = true;
  } catch (...) {
    spdlog::error("job {} ({}) failed on attempt {}: {}", row.id, row.job.kind, row.attempts + 1,
                  describe_current_exception());
  }

  std::optional<Clock::time_point> retry;
  if (succeeded) {
    try {
      outbox_.mark_done(row.id);
    } catch (...) {
      // The job ran but its row stays pending, so it runs again later (jobs are idempotent).
      spdlog::warn("job {} ({}) ran but could not be marked done: {}", row.id, row.job.kind,
                   describe_current_exception());
      retry = Clock::now() + options_.poll_interval;
    }
    completed_.fetch_add(1);
  } else {
    try {
      outbox_.record_failure(row.id);
    } catch (...) {
      spdlog::warn("job {} ({}): could not record the failure: {}", row.id, row.job.kind,
                   describe_current_exception());
    }
    retry = Clock::now() + backoff(row.attempts + 1);
    failed_.fetch_add(1);
  }

  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(row.id);
    finished_during_read_.insert(row.id);
    if (retry) {
      retry_at_[row.id] = *retry;
    } else {
      retry_at_.erase(row.id);
    }
  }
  if (retry) fetcher_cv_.notify_one();  // its retry time may come before the fetcher's next poll
}

std::chrono::milliseconds LocalJobRunner::backoff(int attempts) const {
  auto delay = options_.initial_backoff;
  for (int i = 1; i < attempts && i < 64 && delay < options_.max_backoff; ++i) delay *= 2;
  return std::min(delay, options_.max_backoff);
}

}  // namespace chirp::store::queue
