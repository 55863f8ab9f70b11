#include "store/queue/outbox_relay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/errors.hpp"

using namespace std::chrono_literals;
using chirp::domain::Job;
using chirp::domain::OutboxRow;
using chirp::store::queue::OutboxRelay;
using chirp::store::queue::RelayOptions;

namespace {

class MemoryOutbox final : public chirp::domain::OutboxRepository {
 public:
  std::int64_t add(const Job& job) override {
    std::lock_guard lock(mutex_);
    rows_.push_back({OutboxRow{next_id_, job, 0}, false});
    return next_id_++;
  }
  std::vector<OutboxRow> pending(std::int64_t after_id, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    if (failing_reads_ > 0) {
      --failing_reads_;
      throw chirp::Unavailable("database down");
    }
    std::vector<OutboxRow> out;
    for (const auto& row : rows_) {
      if (out.size() == limit) break;
      if (!row.done && row.row.id > after_id) out.push_back(row.row);
    }
    return out;
  }
  void mark_done(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    find(id).done = true;
  }
  void record_failure(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    ++find(id).row.attempts;
  }
  std::int64_t pending_count() override {
    std::lock_guard lock(mutex_);
    return std::count_if(rows_.begin(), rows_.end(), [](const Stored& row) { return !row.done; });
  }

  void fail_next_reads(int count) {
    std::lock_guard lock(mutex_);
    failing_reads_ = count;
  }
  int attempts(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return find(id).row.attempts;
  }

 private:
  struct Stored {
    OutboxRow row;
    bool done;
  };
  Stored& find(std::int64_t id) {
    for (auto& row : rows_) {
      if (row.row.id == id) return row;
    }
    throw std::out_of_range("no outbox row " + std::to_string(id));
  }

  std::mutex mutex_;
  std::vector<Stored> rows_;
  std::int64_t next_id_ = 1;
  int failing_reads_ = 0;
};

// Records published payloads; `down` makes it throw Unavailable like an unreachable broker, and
// payloads listed in `rejected` fail with another error.
class RecordingQueue final : public chirp::domain::JobQueue {
 public:
  void publish(const Job& job) override {
    std::lock_guard lock(mutex_);
    ++calls_;
    if (down_) throw chirp::Unavailable("rabbitmq down");
    if (std::find(rejected_.begin(), rejected_.end(), job.payload) != rejected_.end()) {
      throw std::runtime_error("message too large");
    }
    published_.push_back(job.payload);
  }

  void set_down(bool down) {
    std::lock_guard lock(mutex_);
    down_ = down;
  }
  void reject(std::string payload) {
    std::lock_guard lock(mutex_);
    rejected_.push_back(std::move(payload));
  }
  void accept_all() {
    std::lock_guard lock(mutex_);
    rejected_.clear();
  }
  std::vector<std::string> published() {
    std::lock_guard lock(mutex_);
    return published_;
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  bool down_ = false;
  std::vector<std::string> rejected_;
  std::vector<std::string> published_;
  int calls_ = 0;
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

std::vector<std::string> payloads(int first, int last) {
  std::vector<std::string> out;
  for (int i = first; i <= last; ++i) out.push_back("p" + std::to_string(i));
  return out;
}

void add_jobs(MemoryOutbox& outbox, int first, int last) {
  for (const auto& payload : payloads(first, last)) outbox.add(Job{"fanout", payload});
}

RelayOptions fast_options() {
  RelayOptions options;
  options.poll_interval = 20ms;
  options.batch = 4;
  options.retry_backoff = 30ms;
  return options;
}

TEST(OutboxRelay, PublishesPendingRowsInOrderAndMarksThemDone) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  add_jobs(outbox, 1, 10);  // more than one batch
  OutboxRelay relay(outbox, queue, fast_options());
  relay.start();

  ASSERT_TRUE(eventually([&] { return outbox.pending_count() == 0; }));
  EXPECT_EQ(queue.published(), payloads(1, 10));
  EXPECT_EQ(relay.relayed(), 10);
  EXPECT_TRUE(relay.queue_reachable());
}

TEST(OutboxRelay, WakePublishesWithoutWaitingForThePoll) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  RelayOptions options = fast_options();
  options.poll_interval = 1h;
  OutboxRelay relay(outbox, queue, options);
  relay.start();
  ASSERT_TRUE(eventually([&] { return queue.calls() == 0; }));
  std::this_thread::sleep_for(20ms);  // the first (empty) pass is over; now it sleeps for an hour

  add_jobs(outbox, 1, 1);
  relay.wake();
  EXPECT_TRUE(eventually([&] { return relay.relayed() == 1; }, 2s));
}

TEST(OutboxRelay, PollFindsRowsWrittenByOtherProcesses) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  OutboxRelay relay(outbox, queue, fast_options());
  relay.start();
  std::this_thread::sleep_for(30ms);
  add_jobs(outbox, 1, 3);  // no wake()
  EXPECT_TRUE(eventually([&] { return relay.relayed() == 3; }));
}

TEST(OutboxRelay, HoldsRowsWhileTheQueueIsDownAndRelaysAllOfThemInOrderAfterwards) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  queue.set_down(true);
  add_jobs(outbox, 1, 6);
  OutboxRelay relay(outbox, queue, fast_options());
  relay.start();

  ASSERT_TRUE(eventually([&] { return queue.calls() >= 3; }));  // it keeps retrying
  EXPECT_FALSE(relay.queue_reachable());
  EXPECT_EQ(outbox.pending_count(), 6);
  EXPECT_EQ(relay.relayed(), 0);
  add_jobs(outbox, 7, 9);  // posting goes on during the outage
  relay.wake();

  queue.set_down(false);
  ASSERT_TRUE(eventually([&] { return outbox.pending_count() == 0; }));
  EXPECT_EQ(queue.published(), payloads(1, 9));
  EXPECT_EQ(relay.relayed(), 9);
  EXPECT_TRUE(relay.queue_reachable());
  EXPECT_EQ(outbox.attempts(1), 0);  // an outage is not the row's fault
}

TEST(OutboxRelay, OutageMidBatchResumesAtTheRowThatFailed) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  OutboxRelay relay(outbox, queue, fast_options());
  relay.start();
  ASSERT_TRUE(eventually([&] { return queue.calls() == 0; }));

  add_jobs(outbox, 1, 2);
  relay.wake();
  ASSERT_TRUE(eventually([&] { return relay.relayed() == 2; }));
  queue.set_down(true);
  add_jobs(outbox, 3, 5);
  relay.wake();
  ASSERT_TRUE(eventually([&] { return relay.publish_failures() >= 2; }));
  queue.set_down(false);

  ASSERT_TRUE(eventually([&] { return outbox.pending_count() == 0; }));
  EXPECT_EQ(queue.published(), payloads(1, 5));  // each exactly once, in order
}

TEST(OutboxRelay, WakesAreIgnoredDuringAnOutageBackoff) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  queue.set_down(true);
  add_jobs(outbox, 1, 1);
  RelayOptions options = fast_options();
  options.retry_backoff = 300ms;
  OutboxRelay relay(outbox, queue, options);
  relay.start();
  ASSERT_TRUE(eventually([&] { return queue.calls() == 1; }));
  for (int i = 0; i < 20; ++i) {
    relay.wake();
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(queue.calls(), 1);  // a broker that is down is not hammered by every post
  EXPECT_TRUE(eventually([&] { return queue.calls() == 2; }, 2s));
}

TEST(OutboxRelay, OtherPublishErrorsRecordAFailureAndMoveOn) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  queue.reject("p2");
  add_jobs(outbox, 1, 3);
  OutboxRelay relay(outbox, queue, fast_options());
  relay.start();

  ASSERT_TRUE(eventually([&] { return relay.relayed() == 2; }));
  EXPECT_EQ(queue.published(), (std::vector<std::string>{"p1", "p3"}));
  EXPECT_TRUE(eventually([&] { return outbox.attempts(2) >= 1; }));
  EXPECT_EQ(outbox.pending_count(), 1);  // kept, never dropped
  EXPECT_TRUE(relay.queue_reachable());
}

TEST(OutboxRelay, FailedRowIsRetriedWithBackoffAndPublishedOnceItWorks) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  queue.reject("p1");
  add_jobs(outbox, 1, 1);
  RelayOptions options = fast_options();
  options.retry_backoff = 50ms;
  options.max_retry_backoff = 100ms;
  OutboxRelay relay(outbox, queue, options);
  relay.start();

  ASSERT_TRUE(eventually([&] { return outbox.attempts(1) >= 2; }));
  int calls = queue.calls();
  std::this_thread::sleep_for(60ms);  // several polls, but at most one retry in that time
  EXPECT_LE(queue.calls(), calls + 1);

  queue.accept_all();
  ASSERT_TRUE(eventually([&] { return outbox.pending_count() == 0; }));
  EXPECT_EQ(queue.published(), payloads(1, 1));
}

TEST(OutboxRelay, SurvivesOutboxReadFailures) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  outbox.fail_next_reads(3);
  add_jobs(outbox, 1, 2);
  OutboxRelay relay(outbox, queue, fast_options());
  relay.start();
  EXPECT_TRUE(eventually([&] { return relay.relayed() == 2; }));
}

TEST(OutboxRelay, StopReturnsPromptlyDuringALongBackoff) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  queue.set_down(true);
  add_jobs(outbox, 1, 1);
  RelayOptions options = fast_options();
  options.retry_backoff = 1h;
  OutboxRelay relay(outbox, queue, options);
  relay.start();
  ASSERT_TRUE(eventually([&] { return queue.calls() == 1; }));

  auto started = std::chrono::steady_clock::now();
  relay.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
  EXPECT_EQ(outbox.pending_count(), 1);
  relay.stop();  // idempotent
}

TEST(OutboxRelay, StopWithoutStartAndStartAfterStopAreHarmless) {
  MemoryOutbox outbox;
  RecordingQueue queue;
  add_jobs(outbox, 1, 1);
  OutboxRelay relay(outbox, queue, fast_options());
  relay.stop();
  relay.start();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(queue.calls(), 0);
}

}  // namespace
