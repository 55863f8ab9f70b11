#pragma once
// Shared helpers of the HBase tests. They need a real HBase Thrift2 gateway:
//   CHIRP_TEST_HBASE_URL  hbase://host:port[/namespace] of a gateway the tests may write to (tables
//                         are unique per test and process); tests skip when it is unset.
//   scripts/hbase.sh start DIR starts a private one and prints its URL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "store/hbase/hbase_store.hpp"

namespace chirp::store::hbase::testing {

inline std::optional<std::string> test_hbase_url() {
  const char* value = std::getenv("CHIRP_TEST_HBASE_URL");
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

// A table name unique to this test in this process (HBase allows [A-Za-z0-9_.-]).
inline std::string unique_table(const std::string& stem = "t") {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = stem + "_" + info->test_suite_name() + "_" + info->name() + "_" +
                     std::to_string(::getpid());
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) c = '_';
  }
  return name;
}

// A store on the test gateway with one fresh table, dropped afterwards.
class HBaseTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = test_hbase_url();
    if (!url) GTEST_SKIP() << "CHIRP_TEST_HBASE_URL is not set";
    url_ = *url;
    store_ = std::make_unique<HBaseStore>(url_, options());
    table_ = unique_table();
    store_->drop_table(table_);  // left over by a crashed run
    store_->create_table(table_);
  }
  void TearDown() override {
    if (store_) store_->drop_table(table_);
  }
  virtual HBaseOptions options() const { return {}; }

  std::string url_;
  std::string table_;
  std::unique_ptr<HBaseStore> store_;
};

}  // namespace chirp::store::hbase::testing
