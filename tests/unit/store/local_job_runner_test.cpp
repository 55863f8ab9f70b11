#include "store/queue/local_job_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/errors.hpp"
#include "store/queue/outbox_job_queue.hpp"

using namespace std::chrono_literals;
using chirp::domain::Job;
using chirp::domain::OutboxRow;
using chirp::store::queue::JobRunnerOptions;
using chirp::store::queue::LocalJobRunner;
using chirp::store::queue::OutboxJobQueue;

namespace {

// The outbox contract in memory. `read_delay` widens the window between the snapshot a read takes
// and its return, where a row may finish meanwhile; `failing_reads` simulates a store outage.
class FakeOutbox final : public chirp::domain::OutboxRepository {
 public:
  std::int64_t add(const Job& job) override {
    std::lock_guard lock(mutex_);
    rows_.push_back({OutboxRow{next_id_, job, 0}, false, 0});
    return next_id_++;
  }
  std::vector<OutboxRow> pending(std::int64_t after_id, std::size_t limit) override {
    std::vector<OutboxRow> out;
    {
      std::lock_guard lock(mutex_);
      ++reads_;
      if (failing_reads_ > 0) {
        --failing_reads_;
        throw chirp::Unavailable("outbox down");
      }
      for (const auto& row : rows_) {
        if (out.size() == limit) break;
        if (!row.done && row.row.id > after_id) out.push_back(row.row);
      }
    }
    if (read_delay.count() > 0) std::this_thread::sleep_for(read_delay);
    return out;
  }
  void mark_done(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    Stored& row = at(id);
    row.done = true;
    ++row.done_calls;
  }
  void record_failure(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    ++at(id).row.attempts;
  }
  std::int64_t pending_count() override {
    std::lock_guard lock(mutex_);
    return std::count_if(rows_.begin(), rows_.end(), [](const Stored& r) { return !r.done; });
  }

  void fail_next_reads(int n) {
    std::lock_guard lock(mutex_);
    failing_reads_ = n;
  }
  int reads() {
    std::lock_guard lock(mutex_);
    return reads_;
  }
  int attempts(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return at(id).row.attempts;
  }
  int done_calls(std::int64_t id) {
    std::lock_guard lock(mutex_);
    return at(id).done_calls;
  }

  std::chrono::milliseconds read_delay{0};

 private:
  struct Stored {
    OutboxRow row;
    bool done = false;
    int done_calls = 0;
  };
  Stored& at(std::int64_t id) { return rows_.at(static_cast<std::size_t>(id - 1)); }

  std::mutex mutex_;
  std::vector<Stored> rows_;
  std::int64_t next_id_ = 1;
  int reads_ = 0;
  int failing_reads_ = 0;
};

// Counts runs per payload and notices two runs of one job at the same time.
class RunLog {
 public:
  void begin(const std::string& payload) {
    std::lock_guard lock(mutex_);
    ++runs_[payload];
    if (!running_[payload].empty()) overlapped_ = true;
    running_[payload] = "running";
  }
  void end(const std::string& payload) {
    std::lock_guard lock(mutex_);
    running_[payload].clear();
  }
  int runs(const std::string& payload) {
    std::lock_guard lock(mutex_);
    return runs_[payload];
  }
  int total() {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [payload, count] : runs_) n += count;
    return n;
  }
  bool overlapped() {
    std::lock_guard lock(mutex_);
    return overlapped_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> runs_;
  std::map<std::string, std::string> running_;
  bool overlapped_ = false;
};

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

JobRunnerOptions fast_options(int workers = 2) {
  JobRunnerOptions options;
  options.workers = workers;
  options.poll_interval = 5ms;
  options.claim_batch = 8;
  options.initial_backoff = 1ms;
  options.max_backoff = 20ms;
  return options;
}

// A gate jobs wait at until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

}  // namespace

TEST(OutboxJobQueue, PublishWritesTheRowThenSignals) {
  FakeOutbox outbox;
  int signals = 0;
  OutboxJobQueue queue(outbox, [&] {
    EXPECT_EQ(outbox.pending_count(), 1 + signals);  // the row exists before the signal
    ++signals;
  });
  queue.publish(Job{"fanout.tweet", "1 2 3"});
  queue.publish(Job{"fanout.tweet", "4 5 6"});
  EXPECT_EQ(signals, 2);
  auto rows = outbox.pending(0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].job.kind, "fanout.tweet");
  EXPECT_EQ(rows[1].job.payload, "4 5 6");
}

TEST(LocalJobRunner, RunsEveryJobExactlyOnce) {
  FakeOutbox outbox;
  // Polls come faster than reads and jobs last, so full passes read rows that are running and
  // often finish before the read returns: such stale rows must not run again.
  outbox.read_delay = 2ms;
  auto options = fast_options(4);
  options.poll_interval = 1ms;
  const int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) outbox.add(Job{"test", std::to_string(i)});
  RunLog log;
  LocalJobRunner runner(
      outbox,
      [&](const Job& job) {
        log.begin(job.payload);
        std::this_thread::sleep_for(1ms);  // the job's work
        log.end(job.payload);
      },
      options);
  runner.start();
  ASSERT_TRUE(eventually([&] { return runner.completed() == kJobs; }));
  // Let several more full passes over the outbox happen: none may run a job again.
  int reads = outbox.reads();
  ASSERT_TRUE(eventually([&] { return outbox.reads() >= reads + 5; }));
  runner.stop();

  EXPECT_EQ(runner.completed(), kJobs);
  EXPECT_EQ(runner.failed(), 0);
  EXPECT_EQ(outbox.pending_count(), 0);
  EXPECT_EQ(log.total(), kJobs);
  EXPECT_FALSE(log.overlapped());
  for (int i = 0; i < kJobs; ++i) {
    EXPECT_EQ(log.runs(std::to_string(i)), 1) << "job " << i;
    EXPECT_EQ(outbox.done_calls(i + 1), 1) << "row " << i + 1;
  }
}

TEST(LocalJobRunner, RetriesAFailingJobUntilItSucceeds) {
  FakeOutbox outbox;
  outbox.add(Job{"test", "ok-1"});
  auto flaky = outbox.add(Job{"test", "flaky"});
  outbox.add(Job{"test", "ok-2"});
  std::atomic<int> flaky_calls{0};
  RunLog log;
  LocalJobRunner runner(
      outbox,
      [&](const Job& job) {
        log.begin(job.payload);
        log.end(job.payload);
        if (job.payload == "flaky" && ++flaky_calls <= 3) throw std::runtime_error("not yet");
      },
      fast_options());
  runner.start();
  ASSERT_TRUE(eventually([&] { return runner.completed() == 3; }));
  runner.stop();

  EXPECT_EQ(runner.failed(), 3);
  EXPECT_EQ(flaky_calls.load(), 4);
  EXPECT_EQ(outbox.attempts(flaky), 3);
  EXPECT_EQ(outbox.pending_count(), 0);
  EXPECT_EQ(log.runs("ok-1"), 1);
  EXPECT_EQ(log.runs("ok-2"), 1);
}

TEST(LocalJobRunner, WaitsLongerAfterEachFailure) {
  FakeOutbox outbox;
  outbox.add(Job{"test", "flaky"});
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> calls;
  auto options = fast_options(1);
  options.initial_backoff = 30ms;
  options.max_backoff = 60ms;
  LocalJobRunner runner(
      outbox,
      [&](const Job&) {
        std::lock_guard lock(mutex);
        calls.push_back(std::chrono::steady_clock::now());
        if (calls.size() <= 3) throw std::runtime_error("not yet");
      },
      options);
  runner.start();
  ASSERT_TRUE(eventually([&] { return runner.completed() == 1; }));
  runner.stop();

  std::lock_guard lock(mutex);
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_GE(calls[1] - calls[0], 30ms);
  EXPECT_GE(calls[2] - calls[1], 60ms);
  EXPECT_GE(calls[3] - calls[2], 60ms);  // capped at max_backoff, not 120 ms
}

TEST(LocalJobRunner, RunsJobsPublishedFromInsideAJobWithoutWaitingForThePoll) {
  FakeOutbox outbox;
  RunLog log;
  auto options = fast_options();
  options.poll_interval = 60s;  // only wake() can make the published jobs run within the deadline
  std::unique_ptr<OutboxJobQueue> queue;
  LocalJobRunner runner(
      outbox,
      [&](const Job& job) {
        log.begin(job.payload);
        log.end(job.payload);
        if (job.kind == "fanout.tweet") {
          for (int i = 0; i < 20; ++i) queue->publish(Job{"fanout.batch", std::to_string(i)});
        }
      },
      options);
  queue = std::make_unique<OutboxJobQueue>(outbox, [&] { runner.wake(); });
  outbox.add(Job{"fanout.tweet", "main"});
  runner.start();
  ASSERT_TRUE(eventually([&] { return runner.completed() == 21; }, 5s));

  // Once idle, a newly published job starts promptly too.
  auto published = std::chrono::steady_clock::now();
  queue->publish(Job{"fanout.batch", "late"});
  ASSERT_TRUE(eventually([&] { return runner.completed() == 22; }, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - published, 1s);
  runner.stop();

  EXPECT_EQ(outbox.pending_count(), 0);
  EXPECT_EQ(log.total(), 22);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(log.runs(std::to_string(i)), 1);
}

TEST(LocalJobRunner, StopLeavesUnstartedRowsPendingAndANewRunnerRunsThem) {
  FakeOutbox outbox;
  const int kJobs = 10;
  for (int i = 0; i < kJobs; ++i) outbox.add(Job{"test", std::to_string(i)});
  RunLog log;
  Gate gate;
  std::atomic<int> started{0};
  {
    LocalJobRunner first(
        outbox,
        [&](const Job& job) {
          log.begin(job.payload);
          ++started;
          gate.wait();
          log.end(job.payload);
        },
        fast_options(1));
    first.start();
    ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
    first.request_stop();
    gate.open();  // the running job finishes; no other may start
    first.stop();
    EXPECT_EQ(first.completed(), 1);
  }
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(outbox.pending_count(), kJobs - 1);
  EXPECT_EQ(outbox.done_calls(1), 1);
  for (int id = 2; id <= kJobs; ++id) EXPECT_EQ(outbox.attempts(id), 0);

  // A process that died mid-job left its row pending as well.
  outbox.add(Job{"test", "interrupted"});

  LocalJobRunner second(
      outbox,
      [&](const Job& job) {
        log.begin(job.payload);
        log.end(job.payload);
      },
      fast_options(2));
  second.start();
  ASSERT_TRUE(eventually([&] { return second.completed() == kJobs; }));
  second.stop();
  EXPECT_EQ(outbox.pending_count(), 0);
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(log.runs(std::to_string(i)), 1) << "job " << i;
  EXPECT_EQ(log.runs("interrupted"), 1);
}

TEST(LocalJobRunner, SurvivesAnOutboxOutageWithoutSpinning) {
  FakeOutbox outbox;
  outbox.add(Job{"test", "a"});
  outbox.fail_next_reads(3);
  auto options = fast_options();
  options.poll_interval = 20ms;
  LocalJobRunner runner(
      outbox, [](const Job&) {}, options);
  auto started = std::chrono::steady_clock::now();
  runner.start();
  for (int i = 0; i < 100; ++i) runner.wake();  // publishes during an outage do not force reads
  ASSERT_TRUE(eventually([&] { return runner.completed() == 1; }));
  // Three failed reads, each followed by a poll interval's pause, before the one that worked.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 60ms);
  EXPECT_EQ(outbox.pending_count(), 0);
  runner.stop();
}

TEST(LocalJobRunner, StopWithoutStartAndStopTwiceAreHarmless) {
  FakeOutbox outbox;
  outbox.add(Job{"test", "a"});
  {
    LocalJobRunner never_started(
        outbox, [](const Job&) {}, fast_options());
    never_started.stop();
  }
  LocalJobRunner runner(
      outbox, [](const Job&) {}, fast_options());
  runner.start();
  ASSERT_TRUE(eventually([&] { return runner.completed() == 1; }));
  runner.stop();
  runner.stop();
  EXPECT_EQ(outbox.pending_count(), 0);
}
