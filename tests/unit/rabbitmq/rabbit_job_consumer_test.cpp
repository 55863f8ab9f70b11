#include "store/rabbitmq/rabbit_job_consumer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "amqp_test_support.hpp"
#include "common/errors.hpp"
#include "store/rabbitmq/rabbit_job_queue.hpp"

using namespace std::chrono_literals;
using chirp::domain::Job;
using chirp::store::rabbitmq::AmqpOptions;
using chirp::store::rabbitmq::ConsumerBackoff;
using chirp::store::rabbitmq::RabbitJobConsumer;
using chirp::store::rabbitmq::RabbitJobQueue;
using chirp::test::eventually;
using chirp::test::QueueInspector;

namespace {

ConsumerBackoff fast_backoff() {
  ConsumerBackoff backoff;
  backoff.job_initial = 10ms;
  backoff.job_max = 50ms;
  backoff.reconnect_initial = 50ms;
  backoff.reconnect_max = 200ms;
  return backoff;
}

// Runs a consumer on its own thread; stops and joins it when destroyed.
class BackgroundConsumer {
 public:
  BackgroundConsumer(RabbitJobConsumer& consumer, std::function<void(const Job&)> handler)
      : thread_([this, &consumer, handler = std::move(handler)] { consumer.run(handler, stop_); }) {
  }
  ~BackgroundConsumer() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Payloads seen by a handler, thread-safe.
class Seen {
 public:
  void add(const std::string& payload) {
    std::lock_guard lock(mutex_);
    ++counts_[payload];
  }
  std::size_t distinct() {
    std::lock_guard lock(mutex_);
    return counts_.size();
  }
  std::map<std::string, int> counts() {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> counts_;
};

TEST(RabbitJobConsumer, RoundTripAcksEveryJob) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  for (int i = 0; i < 20; ++i) queue.publish(Job{"fanout.batch", "payload-" + std::to_string(i)});

  RabbitJobConsumer consumer(chirp::test::test_options(name), 4, fast_backoff());
  Seen seen;
  std::mutex kinds_mutex;
  std::vector<std::string> kinds;
  {
    BackgroundConsumer running(consumer, [&](const Job& job) {
      {
        std::lock_guard lock(kinds_mutex);
        kinds.push_back(job.kind);
      }
      seen.add(job.payload);
    });
    ASSERT_TRUE(eventually([&] { return consumer.processed() == 20; }));
  }
  EXPECT_EQ(seen.distinct(), 20u);
  EXPECT_TRUE(std::all_of(kinds.begin(), kinds.end(), [](auto& k) { return k == "fanout.batch"; }));
  EXPECT_EQ(consumer.failed(), 0);
  EXPECT_GE(consumer.last_lag_ms(), 0);
  // Acked, not merely delivered: nothing comes back once the consumer's connection is gone.
  EXPECT_EQ(inspector.ready(), 0u);
}

TEST(RabbitJobConsumer, StopHandsPrefetchedJobsBack) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  for (int i = 0; i < 10; ++i) queue.publish(Job{"k", std::to_string(i)});

  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, fast_backoff());
  std::atomic<bool> stop{false};
  consumer.run(
      [&](const Job&) {
        stop = true;  // handle one, then shut down with nine prefetched deliveries unacked
      },
      stop);
  EXPECT_EQ(consumer.processed(), 1);
  EXPECT_TRUE(eventually([&] { return inspector.ready() == 9u; }));
}

// The crash of DESIGN §5.3: a worker SIGKILLed in the middle of its prefetched deliveries. Every
// job it had not acknowledged must reach the next worker.
TEST(RabbitJobConsumer, JobsOfAKilledWorkerAreRedelivered) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  for (int i = 0; i < 10; ++i) queue.publish(Job{"fanout.batch", std::to_string(i)});

  std::fflush(nullptr);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::alarm(30);  // never outlive the test if the broker does not deliver
    RabbitJobConsumer doomed(chirp::test::test_options(name), 16, fast_backoff());
    std::atomic<bool> stop{false};
    int handled = 0;
    doomed.run(
        [&](const Job&) {
          if (++handled == 3) ::kill(::getpid(), SIGKILL);  // two acked, the rest prefetched
        },
        stop);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  RabbitJobConsumer survivor(chirp::test::test_options(name), 16, fast_backoff());
  Seen seen;
  {
    BackgroundConsumer running(survivor, [&](const Job& job) { seen.add(job.payload); });
    ASSERT_TRUE(eventually([&] { return survivor.processed() == 8; }));
    std::this_thread::sleep_for(200ms);  // nothing beyond the eight unacked ones
  }
  EXPECT_EQ(survivor.processed(), 8);
  auto counts = seen.counts();
  for (int i = 2; i < 10; ++i) EXPECT_EQ(counts[std::to_string(i)], 1) << i;
  EXPECT_EQ(inspector.ready(), 0u);
}

TEST(RabbitJobConsumer, ConnectionClosedWithoutAckRedeliversTheMessage) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"k", "only"});

  {
    // Receives the delivery and closes the connection without acknowledging it.
    auto options = chirp::test::test_options(name);
    chirp::store::rabbitmq::AmqpConnection raw(
        chirp::store::rabbitmq::parse_amqp_url(options.url), options,
        chirp::store::rabbitmq::AmqpConnection::Purpose::consume);
    amqp_basic_consume(raw.state(), raw.kChannel, amqp_cstring_bytes(name.c_str()),
                       amqp_empty_bytes, 0, /*no_ack=*/0, 0, amqp_empty_table);
    raw.check_reply(amqp_get_rpc_reply(raw.state()), "basic.consume");
    amqp_envelope_t envelope;
    timeval timeout{5, 0};
    raw.check_reply(amqp_consume_message(raw.state(), &envelope, &timeout, 0), "consume");
    EXPECT_FALSE(envelope.redelivered);
    amqp_destroy_envelope(&envelope);
  }

  auto message = inspector.get();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->body, "only");
  EXPECT_TRUE(message->redelivered);
}

TEST(RabbitJobConsumer, MalformedJobIsAckedAndDropped) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"no-such-kind", "x"});
  queue.publish(Job{"good", "y"});

  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, fast_backoff());
  std::atomic<int> malformed_calls{0};
  {
    BackgroundConsumer running(consumer, [&](const Job& job) {
      if (job.kind != "good") {
        ++malformed_calls;
        throw chirp::domain::MalformedJob("unknown job kind " + job.kind);
      }
    });
    ASSERT_TRUE(eventually([&] { return consumer.processed() == 1 && consumer.dropped() == 1; }));
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(malformed_calls.load(), 1);  // not retried
  EXPECT_EQ(consumer.failed(), 0);
  EXPECT_EQ(inspector.ready(), 0u);
}

TEST(RabbitJobConsumer, MessageWithoutATypeIsDropped) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
  properties.delivery_mode = 2;
  amqp_basic_publish(inspector.connection().state(), inspector.connection().kChannel,
                     amqp_empty_bytes, amqp_cstring_bytes(name.c_str()), 0, 0, &properties,
                     amqp_cstring_bytes("untyped"));
  ASSERT_TRUE(eventually([&] { return inspector.ready() == 1u; }));

  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, fast_backoff());
  std::atomic<int> calls{0};
  {
    BackgroundConsumer running(consumer, [&](const Job&) { ++calls; });
    ASSERT_TRUE(eventually([&] { return consumer.dropped() == 1; }));
  }
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(inspector.ready(), 0u);
}

TEST(RabbitJobConsumer, FailingJobIsRequeuedUntilItSucceeds) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"flaky", "1"});
  queue.publish(Job{"steady", "2"});

  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, fast_backoff());
  std::atomic<int> flaky_calls{0};
  Seen seen;
  {
    BackgroundConsumer running(consumer, [&](const Job& job) {
      if (job.kind == "flaky" && ++flaky_calls <= 3) throw chirp::Unavailable("database down");
      seen.add(job.payload);
    });
    ASSERT_TRUE(eventually([&] { return consumer.processed() == 2; }));
  }
  EXPECT_EQ(flaky_calls.load(), 4);
  EXPECT_EQ(consumer.failed(), 3);
  EXPECT_EQ(seen.counts(), (std::map<std::string, int>{{"1", 1}, {"2", 1}}));
  EXPECT_EQ(inspector.ready(), 0u);
}

TEST(RabbitJobConsumer, FailedJobIsNeverDroppedAndBacksOffMoreEachTime) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"broken", "1"});

  ConsumerBackoff backoff = fast_backoff();
  backoff.job_initial = 20ms;
  backoff.job_max = 160ms;
  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, backoff);
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> attempts;
  {
    BackgroundConsumer running(consumer, [&](const Job&) {
      std::lock_guard lock(mutex);
      attempts.push_back(std::chrono::steady_clock::now());
      throw std::runtime_error("always fails");
    });
    ASSERT_TRUE(eventually([&] { return consumer.failed() >= 6; }));
  }
  std::lock_guard lock(mutex);
  ASSERT_GE(attempts.size(), 6u);
  // 20, 40, 80, 160, 160 ms (first attempt was not a redelivery)
  EXPECT_GE(attempts[4] - attempts[3], 150ms);
  EXPECT_GE(attempts[5] - attempts[4], 150ms);
  EXPECT_LT(attempts[1] - attempts[0], 150ms);
  EXPECT_TRUE(eventually([&] { return inspector.ready() == 1u; }));  // still there
}

TEST(RabbitJobConsumer, SeveralConsumersShareTheQueue) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  constexpr int kJobs = 300;
  for (int i = 0; i < kJobs; ++i) queue.publish(Job{"k", std::to_string(i)});

  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, fast_backoff());
  Seen seen;
  std::chrono::duration<double, std::milli> elapsed{};
  {
    auto started = std::chrono::steady_clock::now();
    BackgroundConsumer first(consumer, [&](const Job& job) { seen.add(job.payload); });
    BackgroundConsumer second(consumer, [&](const Job& job) { seen.add(job.payload); });
    ASSERT_TRUE(eventually([&] { return consumer.processed() == kJobs; }));
    elapsed = std::chrono::steady_clock::now() - started;
  }
  std::printf("[ measure  ] %d jobs consumed and acked by 2 consumers in %.0f ms\n", kJobs,
              elapsed.count());
  EXPECT_EQ(seen.distinct(), static_cast<std::size_t>(kJobs));
}

TEST(RabbitJobConsumer, KeepsRetryingWhileTheBrokerIsUnreachableAndStops) {
  AmqpOptions options;
  options.url =
      "amqp://guest:guest@127.0.0.1:" + std::to_string(chirp::test::closed_local_port()) + "/%2F";
  RabbitJobConsumer consumer(options, 16, fast_backoff());
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stop = true;
  });
  auto started = std::chrono::steady_clock::now();
  consumer.run([](const Job&) {}, stop);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(consumer.processed(), 0);
}

// Opt-in: CHIRP_TEST_AMQP_RESTART is a command that restarts the broker on the same port, e.g.
// "scripts/rabbitmq.sh restart DIR". Persistent messages survive; publisher and consumer reconnect.
TEST(RabbitJobConsumer, SurvivesABrokerRestart) {
  CHIRP_REQUIRE_AMQP();
  const char* restart = std::getenv("CHIRP_TEST_AMQP_RESTART");
  if (restart == nullptr || *restart == '\0') GTEST_SKIP() << "CHIRP_TEST_AMQP_RESTART is not set";
  auto name = chirp::test::unique_queue_name();
  RabbitJobQueue queue(chirp::test::test_options(name));
  // From several threads, so the publisher pools several connections that the restart breaks.
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t) {
    publishers.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) queue.publish(Job{"k", "before-" + std::to_string(t * 5 + i)});
    });
  }
  for (auto& publisher : publishers) publisher.join();

  RabbitJobConsumer consumer(chirp::test::test_options(name), 16, fast_backoff());
  Seen seen;
  std::atomic<bool> consuming{false};
  BackgroundConsumer running(consumer, [&](const Job& job) {
    // Hold the first deliveries until the restart is under way: they are unacked when it dies.
    while (!consuming.load()) std::this_thread::sleep_for(10ms);
    seen.add(job.payload);
  });

  auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(std::system(restart), 0);
  std::printf("[ measure  ] broker restart took %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  consuming = true;
  for (int i = 0; i < 5; ++i) queue.publish(Job{"k", "after-" + std::to_string(i)});

  ASSERT_TRUE(eventually([&] { return seen.distinct() == 25; }, 30s));
  running.stop();
  QueueInspector cleanup(name);
  EXPECT_EQ(cleanup.ready(), 0u);
}

}  // namespace
