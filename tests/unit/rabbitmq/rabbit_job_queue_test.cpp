#include "store/rabbitmq/rabbit_job_queue.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "amqp_test_support.hpp"
#include "common/errors.hpp"

using namespace std::chrono_literals;
using chirp::domain::Job;
using chirp::store::rabbitmq::AmqpOptions;
using chirp::store::rabbitmq::parse_amqp_url;
using chirp::store::rabbitmq::RabbitJobQueue;
using chirp::test::QueueInspector;

namespace {

TEST(AmqpUrl, ParsesAllParts) {
  auto endpoint = parse_amqp_url("amqp://chirp:s3cret@mq.internal:5673/jobs");
  EXPECT_EQ(endpoint.host, "mq.internal");
  EXPECT_EQ(endpoint.port, 5673);
  EXPECT_EQ(endpoint.user, "chirp");
  EXPECT_EQ(endpoint.password, "s3cret");
  EXPECT_EQ(endpoint.vhost, "jobs");
  EXPECT_EQ(endpoint.describe(), "mq.internal:5673/jobs");  // no credentials in logs
}

TEST(AmqpUrl, DecodesTheDefaultVhostAndFillsDefaults) {
  EXPECT_EQ(parse_amqp_url("amqp://guest:guest@127.0.0.1:5672/%2F").vhost, "/");
  auto bare = parse_amqp_url("amqp://localhost");
  EXPECT_EQ(bare.port, 5672);
  EXPECT_EQ(bare.user, "guest");
  EXPECT_EQ(bare.vhost, "/");
  EXPECT_EQ(parse_amqp_url("amqp://localhost:5672/").vhost, "/");
}

TEST(AmqpUrl, RejectsOtherSchemesAndGarbage) {
  for (const char* url :
       {"", "localhost:5672", "http://localhost/", "amqps://localhost/", "amqp://",
        "amqp://u:p@:5672/", "amqp://host:notaport/", "amqp://host:99999/"}) {
    EXPECT_THROW(parse_amqp_url(url), std::invalid_argument) << url;
  }
  EXPECT_THROW(RabbitJobQueue(AmqpOptions{.url = "redis://x"}), std::invalid_argument);
}

TEST(RabbitJobQueue, UnreachableBrokerFailsQuicklyWithUnavailable) {
  AmqpOptions options;
  options.url =
      "amqp://guest:guest@127.0.0.1:" + std::to_string(chirp::test::closed_local_port()) + "/%2F";
  RabbitJobQueue queue(options);  // constructing does not connect

  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(queue.publish(Job{"fanout", "{}"}), chirp::Unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(queue.queue_depth(), -1);
  EXPECT_FALSE(queue.ping());
}

TEST(RabbitJobQueue, PublishStoresAPersistentMessageWithTheKindAsType) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));

  queue.publish(Job{"fanout.main", R"({"tweet_id":42})"});
  // Durable once publish() returned (the broker confirmed it): it is in the queue now.
  EXPECT_EQ(inspector.ready(), 1u);
  auto message = inspector.get();
  ASSERT_TRUE(message);
  EXPECT_EQ(message->type, "fanout.main");
  EXPECT_EQ(message->body, R"({"tweet_id":42})");
  EXPECT_EQ(message->delivery_mode, 2);  // persistent
  EXPECT_TRUE(queue.ping());
}

TEST(RabbitJobQueue, DeclaresTheQueueDurable) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"k", "p"});
  QueueInspector inspector(name);
  // Redeclaring it as transient must be refused (PRECONDITION_FAILED) if it really is durable.
  amqp_connection_state_t state = inspector.connection().state();
  amqp_queue_declare(state, chirp::store::rabbitmq::AmqpConnection::kChannel,
                     amqp_cstring_bytes(name.c_str()), 0, /*durable=*/0, 0, 0, amqp_empty_table);
  auto reply = amqp_get_rpc_reply(state);
  EXPECT_EQ(reply.reply_type, AMQP_RESPONSE_SERVER_EXCEPTION);
  EXPECT_NE(chirp::store::rabbitmq::describe_reply(reply).find("406"), std::string::npos);
  // That closed the inspector's channel; delete the queue through a fresh inspector.
  EXPECT_THROW(inspector.connection().check_reply(reply, "redeclare"), chirp::Unavailable);
  QueueInspector cleanup(name);
}

TEST(RabbitJobQueue, QueueDepthCountsReadyMessages) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  EXPECT_EQ(queue.queue_depth(), 0);
  for (int i = 0; i < 3; ++i) queue.publish(Job{"k", std::to_string(i)});
  EXPECT_EQ(queue.queue_depth(), 3);
}

TEST(RabbitJobQueue, ConcurrentPublishersLoseNothing) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  constexpr int kThreads = 4;
  constexpr int kEach = 100;

  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) queue.publish(Job{"k", std::to_string(t * kEach + i)});
    });
  }
  for (auto& thread : threads) thread.join();
  auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
  std::printf("[ measure  ] %d confirmed publishes from %d threads in %.0f ms (%.2f ms each)\n",
              kThreads * kEach, kThreads, elapsed.count(), elapsed.count() / (kThreads * kEach));

  EXPECT_EQ(inspector.ready(), static_cast<std::uint32_t>(kThreads * kEach));
}

TEST(RabbitJobQueue, SequentialPublishLatency) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"k", "warm-up"});
  constexpr int kCount = 500;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kCount; ++i) queue.publish(Job{"fanout.batch", std::string(200, 'x')});
  auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
  std::printf("[ measure  ] %d sequential confirmed publishes in %.0f ms (%.2f ms each)\n", kCount,
              elapsed.count(), elapsed.count() / kCount);
  EXPECT_EQ(inspector.ready(), static_cast<std::uint32_t>(kCount + 1));
}

TEST(RabbitJobQueue, PublishReplacesAConnectionTheBrokerClosed) {
  CHIRP_REQUIRE_AMQP();
  auto name = chirp::test::unique_queue_name();
  QueueInspector inspector(name);
  RabbitJobQueue queue(chirp::test::test_options(name));
  queue.publish(Job{"k", "before"});
  // Deleting the queue makes the pooled connection's next publish come back (basic.return); the
  // queue must then be declared again, and the retry on a fresh connection does that.
  amqp_queue_delete(inspector.connection().state(),
                    chirp::store::rabbitmq::AmqpConnection::kChannel,
                    amqp_cstring_bytes(name.c_str()), 0, 0);
  queue.publish(Job{"k", "after"});
  EXPECT_EQ(inspector.ready(), 1u);
  EXPECT_EQ(inspector.get()->body, "after");
}

}  // namespace
