// The WideColumnStore conformance suite (tests/unit/kv) against HBase, on the gateway named by
// CHIRP_TEST_HBASE_URL; every test skips when it is unset.
#include <gtest/gtest.h>

#include "../kv/wide_column_store_suite.hpp"
#include "hbase_test_support.hpp"

namespace chirp::store::kv::testing {
namespace {

void skip_without_gateway() { GTEST_SKIP() << "CHIRP_TEST_HBASE_URL is not set"; }

std::shared_ptr<WideColumnStore> open_hbase() {
  const auto url = hbase::testing::test_hbase_url();
  if (!url) {
    // The suite's SetUp calls this factory: a skip recorded here keeps the test body from running.
    // The store is never used (it connects lazily, to nothing).
    skip_without_gateway();
    return std::make_shared<hbase::HBaseStore>("hbase://127.0.0.1:1");
  }
  return std::make_shared<hbase::HBaseStore>(*url);
}

INSTANTIATE_TEST_SUITE_P(HBase, WideColumnStoreSuite,
                         ::testing::Values(StoreFactory{"hbase", open_hbase}), factory_name);

}  // namespace
}  // namespace chirp::store::kv::testing
