#pragma once
// The embedded stack's background workers (DESIGN §5.3 without RabbitMQ): the outbox is the
// durable queue. A fetcher thread reads pending rows and hands them to worker threads; a row is
// marked done only after its job ran, so a process that dies mid-job runs it again on restart, and
// a job that throws is retried after an exponential backoff, never dropped. Handlers must be
// idempotent (delivery is at least once).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/jobs.hpp"
#include "domain/social_repositories.hpp"

namespace chirp::store::queue {

struct JobRunnerOptions {
  int workers = 2;
  // How often the outbox is read when nobody calls wake(): picks up rows left by a crash, written
  // by other processes, or committed out of id order.
  std::chrono::milliseconds poll_interval{200};
  std::size_t claim_batch = 64;  // rows per outbox read, and the size of the in-memory queue
  std::chrono::milliseconds max_backoff{30000};
  // Delay before the first retry of a failed job; it doubles with every further attempt.
  std::chrono::milliseconds initial_backoff{100};
};

using JobHandler = std::function<void(const domain::Job&)>;  // throws on failure

class LocalJobRunner {
 public:
  LocalJobRunner(domain::OutboxRepository& outbox, JobHandler handler, JobRunnerOptions options);
  ~LocalJobRunner();
  LocalJobRunner(const LocalJobRunner&) = delete;
  LocalJobRunner& operator=(const LocalJobRunner&) = delete;

  // Launches the workers and one fetcher thread; does nothing with workers <= 0 or a second time.
  void start();
  // New rows were added: read the outbox now instead of at the next poll. Cheap; any thread.
  void wake();
  // Stops fetching and starting jobs without waiting (jobs already running go on): lets a shutdown
  // signal every component first and wait for them afterwards.
  void request_stop();
  // request_stop(), then waits for running jobs to finish and joins the threads; rows not yet run
  // stay pending in the outbox. Must not be called from inside a job.
  void stop();

  std::int64_t completed() const { return completed_.load(); }  // jobs that ran successfully
  std::int64_t failed() const { return failed_.load(); }        // failed attempts

 private:
  using Clock = std::chrono::steady_clock;

  void fetch_loop();
  void work_loop();
  void run(const domain::OutboxRow& row);
  // Queues the rows that may run now; false when the runner is stopping.
  bool dispatch(std::vector<domain::OutboxRow>& rows, std::unique_lock<std::mutex>& lock);
  Clock::time_point earliest_retry() const;
  std::chrono::milliseconds backoff(int attempts) const;

  domain::OutboxRepository& outbox_;
  JobHandler handler_;
  JobRunnerOptions options_;
  std::size_t queue_capacity_;

  std::mutex mutex_;
  std::condition_variable fetcher_cv_;  // wake(), stop(), queue space, a new retry time
  std::condition_variable workers_cv_;  // a queued row, stop()
  std::deque<domain::OutboxRow> ready_;
  std::unordered_set<std::int64_t> in_flight_;  // queued or running: never run twice at once
  // Rows that finished while the current outbox read was in flight: the read may still return them
  // as pending, and they must not run again because of it.
  std::unordered_set<std::int64_t> finished_during_read_;
  std::unordered_map<std::int64_t, Clock::time_point> retry_at_;  // failed rows wait until then
  bool wake_requested_ = false;
  bool stopping_ = false;
  bool started_ = false;

  std::thread fetcher_;
  std::vector<std::thread> workers_;
  std::atomic<std::int64_t> completed_{0};
  std::atomic<std::int64_t> failed_{0};
};

}  // namespace chirp::store::queue
