#pragma once
// The outbox relay of the full stack (DESIGN §5.3): a thread in every `chirp serve` that moves jobs
// from the SQL outbox (written in the same transaction as the tweet) to the durable job queue
// (RabbitMQ), marking each row done once the queue confirmed it.
//
// - Queue unreachable (chirp::Unavailable): the pass stops at that row and the relay retries it
//   after retry_backoff. Rows wait in the outbox meanwhile, in order; nothing is lost.
// - Any other publish error: logged, the row's attempts are recorded and the relay moves on; the
//   row is retried on later passes with a backoff growing with its attempts.
// - Published but mark_done failed (database down): the row stays pending and is published again
//   later. Several serve processes may also publish the same row at once. Both only duplicate a
//   job, which is harmless: delivery is at least once and every handler is idempotent.
//
// It only knows the domain interfaces, so tests drive it with in-memory fakes.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "domain/jobs.hpp"
#include "domain/social_repositories.hpp"

namespace chirp::store::queue {

struct RelayOptions {
  // How often the outbox is read when nobody calls wake(): finds rows written by other processes,
  // left by a crash, or committed out of id order.
  std::chrono::milliseconds poll_interval{200};
  std::size_t batch = 100;  // rows per outbox read
  // Wait after the queue was unreachable, and the first wait of a row whose publish failed
  // otherwise (doubling with its attempts, up to max_retry_backoff).
  std::chrono::milliseconds retry_backoff{1000};
  std::chrono::milliseconds max_retry_backoff{60000};
};

class OutboxRelay {
 public:
  OutboxRelay(domain::OutboxRepository& outbox, domain::JobQueue& target,
              RelayOptions options = {});
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void start();  // launches the thread; does nothing a second time or after stop()
  // New rows were committed: read the outbox now instead of at the next poll. Cheap; any thread.
  // Ignored while waiting out a queue outage, so that every post does not hammer a broker that is
  // down (retry_backoff bounds the delay instead).
  void wake();
  // Finishes the publish in flight (bounded by the queue's own timeout) and joins the thread.
  void stop();

  std::int64_t relayed() const { return relayed_.load(); }  // rows published and marked done
  std::int64_t publish_failures() const { return publish_failures_.load(); }
  bool queue_reachable() const { return queue_reachable_.load(); }  // false during an outage

 private:
  using Clock = std::chrono::steady_clock;
  enum class PassResult { drained, more, queue_down, store_down, stopped };

  void loop();
  PassResult relay_batch(std::int64_t& after_id);
  // Waits until `deadline`, stop(), or (when `wakeable`) wake(); false when stopping.
  bool wait(Clock::time_point deadline, bool wakeable);

  domain::OutboxRepository& outbox_;
  domain::JobQueue& target_;
  RelayOptions options_;

  std::mutex mutex_;
  std::condition_variable cv_;
  bool wake_requested_ = false;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;

  // Rows whose publish failed for a reason other than an outage: not retried before this time.
  // Only the relay thread touches it.
  std::unordered_map<std::int64_t, Clock::time_point> retry_at_;

  std::atomic<std::int64_t> relayed_{0};
  std::atomic<std::int64_t> publish_failures_{0};
  std::atomic<bool> queue_reachable_{true};
};

}  // namespace chirp::store::queue
