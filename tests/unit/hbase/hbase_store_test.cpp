// HBaseStore against a real gateway (CHIRP_TEST_HBASE_URL; skipped without it). The semantics every
// WideColumnStore shares are in tests/unit/kv's suite (instantiated in
// hbase_conformance_test.cpp); these are the HBase-specific parts: scanner batches, big batches,
// reconnects, errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "common/errors.hpp"
#include "hbase_test_support.hpp"

namespace chirp::store::hbase {
namespace {

using kv::Columns;
using kv::Row;
using kv::ScanRange;
using testing::HBaseTableTest;

std::string key_of(int i) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "k%06d", i);
  return buffer;
}

std::vector<Row> numbered_rows(int count) {
  std::vector<Row> rows;
  rows.reserve(count);
  for (int i = 0; i < count; ++i) rows.push_back(Row{key_of(i), {{"n", std::to_string(i)}}});
  return rows;
}

std::vector<std::string> keys_of(const std::vector<Row>& rows) {
  std::vector<std::string> keys;
  for (const Row& row : rows) keys.push_back(row.key);
  return keys;
}

using HBaseStoreTest = HBaseTableTest;

// Without NEW_VERSION_BEHAVIOR on the family, a put in the same millisecond as a delete would be
// masked by the delete's marker.
TEST_F(HBaseStoreTest, RowRemovedAndWrittenAgainAtOnceIsVisible) {
  for (int i = 0; i < 50; ++i) {
    store_->put(table_, Row{"follow", {{"at", std::to_string(i)}}});
    store_->remove(table_, "follow");
    store_->put(table_, Row{"follow", {{"at", std::to_string(i)}}});
    ASSERT_EQ(store_->get(table_, "follow"), (Columns{{"at", std::to_string(i)}})) << i;
  }
}

TEST_F(HBaseStoreTest, PutManyOfThousandsOfRowsAndScanAcrossScannerBatches) {
  const std::vector<Row> rows = numbered_rows(3500);
  store_->put_many(table_, rows);
  // No limit: 3500 rows come in batches of 1000 (four getScannerRows calls and an empty one).
  const std::vector<Row> all = store_->scan(table_, ScanRange{});
  EXPECT_EQ(all, rows);
  ScanRange backwards;
  backwards.reverse = true;
  std::vector<Row> reversed = store_->scan(table_, backwards);
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(reversed, rows);
  // A limit above one batch, and bounds in the middle.
  ScanRange middle{key_of(100), key_of(2600), "", 2200, false};
  const auto window = store_->scan(table_, middle);
  ASSERT_EQ(window.size(), 2200u);
  EXPECT_EQ(window.front().key, key_of(100));
  EXPECT_EQ(window.back().key, key_of(2299));
  middle.reverse = true;
  const auto window_down = store_->scan(table_, middle);
  ASSERT_EQ(window_down.size(), 2200u);
  EXPECT_EQ(window_down.front().key, key_of(2599));
  EXPECT_EQ(window_down.back().key, key_of(400));

  std::vector<std::string> keys = keys_of(rows);
  keys.resize(3000);
  store_->remove_many(table_, keys);
  EXPECT_EQ(store_->scan(table_, ScanRange{}).size(), 500u);
}

// The reversed-scan bounds are adjusted client-side: `high` is exclusive and `low` inclusive, also
// for keys that differ only in their last byte or are prefixes of each other.
TEST_F(HBaseStoreTest, ReverseScanBoundsAreExact) {
  const std::vector<std::string> keys{"a", "a\x01", "ab", std::string("ab\0", 3), "abc", "abd", "b", "b\xff",
                                      std::string("c\0", 2), "c"};
  for (const std::string& key : keys) store_->put(table_, Row{key, {{"v", key}}});
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<std::string> bounds{"", "a", "a\x01", "ab", "abc", "abd", "abe", "b", "b\xff",
                                        "c", "d"};
  for (const std::string& low : bounds) {
    for (const std::string& high : bounds) {
      for (const std::string& prefix : {std::string(), std::string("a"), std::string("ab")}) {
        for (std::size_t limit : {0u, 1u, 2u}) {
          std::vector<std::string> expected;
          for (const std::string& key : sorted) {
            if (key >= low && (high.empty() || key < high) && key.starts_with(prefix)) {
              expected.push_back(key);
            }
          }
          std::reverse(expected.begin(), expected.end());
          if (limit != 0 && expected.size() > limit) expected.resize(limit);
          const auto rows = store_->scan(table_, ScanRange{low, high, prefix, limit, true});
          ASSERT_EQ(keys_of(rows), expected)
              << "low=" << low << " high=" << high << " prefix=" << prefix << " limit=" << limit;
        }
      }
    }
  }
}

TEST_F(HBaseStoreTest, CreateTableIsIdempotentAndRaceSafe) {
  const std::string table = testing::unique_table("race");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      try {
        HBaseStore other(url_);
        other.create_table(table);
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  store_->create_table(table);
  store_->put(table, Row{"r", {{"c", "v"}}});
  EXPECT_EQ(store_->get(table, "r"), (Columns{{"c", "v"}}));
  store_->drop_table(table);
  store_->drop_table(table);  // absent: no-op
  EXPECT_THROW(store_->get(table, "r"), std::logic_error);
}

TEST_F(HBaseStoreTest, UnknownTableIsALogicError) {
  const std::string table = testing::unique_table("never");
  EXPECT_THROW(store_->put(table, Row{"r", {{"c", "v"}}}), std::logic_error);
  EXPECT_THROW(store_->get(table, "r"), std::logic_error);
  EXPECT_THROW(store_->scan(table, ScanRange{}), std::logic_error);
  EXPECT_THROW(store_->check_and_put(table, Row{"r", {{"c", "v"}}}, "c", std::nullopt),
               std::logic_error);
}

// A gateway that dropped its idle connections (its -t read timeout): the next calls reconnect.
TEST_F(HBaseStoreTest, ReconnectsAfterTheServerDroppedIdleConnections) {
  store_->put(table_, Row{"r", {{"c", "1"}}});
  store_->sever_idle_connections_for_testing();
  EXPECT_EQ(store_->get(table_, "r"), (Columns{{"c", "1"}}));
  EXPECT_EQ(store_->open_connections(), 1u);
}

// Same, when the closed connection is not noticed before the call: the call fails on the wire and
// is retried once on a fresh connection.
class HBaseStoreNoProbeTest : public HBaseTableTest {
 protected:
  HBaseOptions options() const override {
    HBaseOptions options;
    options.probe_idle_connections = false;
    return options;
  }
};

TEST_F(HBaseStoreNoProbeTest, RetriesOnceOnAFreshConnection) {
  store_->put(table_, Row{"r", {{"c", "1"}}});
  for (int i = 0; i < 3; ++i) {
    store_->sever_idle_connections_for_testing();
    store_->put(table_, Row{"r", {{"c", std::to_string(i)}}});
    store_->sever_idle_connections_for_testing();
    EXPECT_EQ(store_->get(table_, "r"), (Columns{{"c", std::to_string(i)}}));
    store_->sever_idle_connections_for_testing();
    EXPECT_EQ(store_->scan(table_, ScanRange{}).size(), 1u);
  }
  EXPECT_EQ(store_->open_connections(), 1u);
}

// The real thing, when the test gateway was started with a short read timeout
// (CHIRP_HBASE_THRIFT_TIMEOUT_MS=2000 scripts/hbase.sh start DIR, and the same value in
// CHIRP_TEST_HBASE_IDLE_TIMEOUT_MS): the gateway closes the idle connections by itself.
TEST_F(HBaseStoreNoProbeTest, SurvivesTheGatewayClosingIdleConnections) {
  const char* timeout = std::getenv("CHIRP_TEST_HBASE_IDLE_TIMEOUT_MS");
  if (!timeout || !*timeout) GTEST_SKIP() << "CHIRP_TEST_HBASE_IDLE_TIMEOUT_MS is not set";
  const auto idle = std::chrono::milliseconds(std::atoi(timeout) + 1500);
  store_->put(table_, Row{"r", {{"c", "1"}}});
  std::this_thread::sleep_for(idle);
  EXPECT_EQ(store_->get(table_, "r"), (Columns{{"c", "1"}}));  // stale, retried
  HBaseStore probing(url_);
  EXPECT_EQ(probing.get(table_, "r"), (Columns{{"c", "1"}}));
  std::this_thread::sleep_for(idle);
  EXPECT_EQ(probing.get(table_, "r"), (Columns{{"c", "1"}}));  // noticed before the call
}

TEST_F(HBaseStoreTest, ConcurrentCallersShareThePool) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < 30; ++i) {
          const std::string key = "t" + std::to_string(t) + "_" + std::to_string(i);
          store_->put(table_, Row{key, {{"v", key}}});
          if (store_->get(table_, key) != Columns{{"v", key}}) ++failures;
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(store_->open_connections(), 8u);
  EXPECT_EQ(store_->scan(table_, ScanRange{}).size(), 12u * 30u);
}

// hbase://host:port/namespace: create_table creates the namespace first; tables there are
// separate from the default namespace's.
TEST_F(HBaseStoreTest, TablesInANamespace) {
  HBaseAddress address = parse_hbase_url(url_);
  address.name_space = "chirp_test";
  HBaseStore spaced(address);
  spaced.drop_table(table_);
  spaced.create_table(table_);
  spaced.put(table_, Row{"r", {{"c", "in namespace"}}});
  EXPECT_EQ(spaced.get(table_, "r"), (Columns{{"c", "in namespace"}}));
  EXPECT_EQ(store_->get(table_, "r"), std::nullopt);
  spaced.drop_table(table_);
  EXPECT_THROW(spaced.get(table_, "r"), std::logic_error);
}

TEST(HBaseStoreOffline, UnreachableGatewayIsUnavailable) {
  HBaseOptions options;
  options.timeout = std::chrono::milliseconds(500);
  HBaseStore store("hbase://127.0.0.1:1", options);  // nothing listens on port 1
  EXPECT_FALSE(store.ping());
  EXPECT_THROW(store.get("t", "r"), Unavailable);
  EXPECT_THROW(store.create_table("t"), Unavailable);
  EXPECT_EQ(store.open_connections(), 0u);
}

}  // namespace
}  // namespace chirp::store::hbase
