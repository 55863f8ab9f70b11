#include "store/redis/redis_gatekeeper_store.hpp"

#include <gtest/gtest.h>

#include <map>

#include "common/errors.hpp"
#include "redis_test_support.hpp"

using chirp::domain::Gatekeeper;
using chirp::store::redis::RedisClient;
using chirp::store::redis::RedisGatekeeperStore;
using chirp::store::redis::RedisOptions;
using chirp::store::redis::testing::options_for;
using chirp::store::redis::testing::unique_prefix;
using chirp::store::redis::testing::unused_port;

namespace {

// The durable store behind Redis (SQL in production), counting reads.
class MemoryStore final : public chirp::domain::GatekeeperStore {
 public:
  std::optional<Gatekeeper> get(std::string_view name) override {
    ++reads;
    auto it = rows.find(std::string(name));
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Gatekeeper> list() override {
    std::vector<Gatekeeper> out;
    for (const auto& [name, g] : rows) out.push_back(g);
    return out;
  }
  void save(const Gatekeeper& g) override { rows[g.name] = g; }

  std::map<std::string, Gatekeeper> rows;
  int reads = 0;
};

}  // namespace

TEST(RedisGatekeeperStore, WritesTheHashAndReadsItBack) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient client(options_for(url));
  MemoryStore durable;
  RedisGatekeeperStore store(client, durable, unique_prefix() + "gatekeeper:");
  client.command({"DEL", store.key("feature")});

  const Gatekeeper g{"feature", 25, {4, 8}, "a gray release"};
  store.save(g);
  EXPECT_EQ(durable.rows.at("feature"), g);  // SQL first
  auto hash = client.command({"HGETALL", store.key("feature")});
  ASSERT_EQ(hash.elements.size(), 6u);
  EXPECT_EQ(client.command({"HGET", store.key("feature"), "percent"}).text, "25");
  EXPECT_EQ(client.command({"HGET", store.key("feature"), "whitelist"}).text, "4,8");
  EXPECT_EQ(client.command({"HGET", store.key("feature"), "description"}).text, "a gray release");

  durable.reads = 0;
  EXPECT_EQ(store.get("feature"), g);
  EXPECT_EQ(durable.reads, 0);  // served by Redis

  // Another process's change through Redis is seen.
  client.command({"HSET", store.key("feature"), "percent", "100", "whitelist", ""});
  EXPECT_EQ(store.get("feature"), (Gatekeeper{"feature", 100, {}, "a gray release"}));
  EXPECT_EQ(store.list(), std::vector<Gatekeeper>{g});  // list reads the durable store
}

TEST(RedisGatekeeperStore, AMissReadsTheDurableStoreAndFillsRedis) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient client(options_for(url));
  MemoryStore durable;
  RedisGatekeeperStore store(client, durable, unique_prefix() + "gatekeeper:");
  client.command({"DEL", store.key("feature"), store.key("unknown")});

  const Gatekeeper g{"feature", 60, {}, ""};
  durable.rows["feature"] = g;  // as after a FLUSHDB: only SQL has it
  EXPECT_EQ(store.get("feature"), g);
  EXPECT_EQ(durable.reads, 1);
  EXPECT_EQ(client.command({"HGET", store.key("feature"), "percent"}).text, "60");
  EXPECT_EQ(store.get("feature"), g);
  EXPECT_EQ(durable.reads, 1);

  EXPECT_FALSE(store.get("unknown"));
  EXPECT_EQ(client.command({"EXISTS", store.key("unknown")}).integer, 0);
}

TEST(RedisGatekeeperStore, AFillNeverOverwritesANewerWrite) {
  CHIRP_REQUIRE_TEST_REDIS(url);
  RedisClient client(options_for(url));
  MemoryStore durable;
  RedisGatekeeperStore store(client, durable, unique_prefix() + "gatekeeper:");
  client.command({"DEL", store.key("feature")});
  // This process read an old value from SQL while another saved a new one to SQL and Redis.
  durable.rows["feature"] = {"feature", 10, {}, "old"};
  client.command({"HSET", store.key("feature"), "percent", "90", "whitelist", "", "description",
                  "new"});
  client.command({"HDEL", store.key("feature"), "percent"});  // damaged hash: read SQL ...
  EXPECT_EQ(store.get("feature")->description, "old");
  // ... but the (newer) hash is not replaced by the value read.
  EXPECT_EQ(client.command({"HGET", store.key("feature"), "description"}).text, "new");
}

TEST(RedisGatekeeperStore, RedisDownFallsBackToTheDurableStore) {
  RedisOptions options;
  options.url = "redis://127.0.0.1:" + std::to_string(unused_port()) + "/0";
  RedisClient client(options);
  MemoryStore durable;
  RedisGatekeeperStore store(client, durable);
  const Gatekeeper g{"feature", 100, {1}, "on"};
  store.save(g);  // SQL gets it; the Redis write fails quietly and marks the client dirty
  EXPECT_EQ(durable.rows.at("feature"), g);
  EXPECT_TRUE(client.dirty());
  EXPECT_EQ(store.get("feature"), g);
  EXPECT_EQ(store.list(), std::vector<Gatekeeper>{g});
}
