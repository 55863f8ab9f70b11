#include <gtest/gtest.h>

#include <stdexcept>

#include "store/hbase/hbase_url.hpp"

namespace chirp::store::hbase {
namespace {

TEST(HBaseUrl, HostAndPort) {
  EXPECT_EQ(parse_hbase_url("hbase://127.0.0.1:9091"), (HBaseAddress{"127.0.0.1", 9091, ""}));
}

TEST(HBaseUrl, PortDefaultsTo9090) {
  EXPECT_EQ(parse_hbase_url("hbase://hbase.internal"), (HBaseAddress{"hbase.internal", 9090, ""}));
  EXPECT_EQ(parse_hbase_url("hbase://h/"), (HBaseAddress{"h", 9090, ""}));
}

TEST(HBaseUrl, Namespace) {
  EXPECT_EQ(parse_hbase_url("hbase://h:1/chirp_test"), (HBaseAddress{"h", 1, "chirp_test"}));
  EXPECT_EQ(parse_hbase_url("hbase://h:1/chirp/"), (HBaseAddress{"h", 1, "chirp"}));
}

TEST(HBaseUrl, BracketedIpv6Host) {
  EXPECT_EQ(parse_hbase_url("hbase://[::1]:9090"), (HBaseAddress{"::1", 9090, ""}));
  EXPECT_EQ(parse_hbase_url("hbase://[::1]"), (HBaseAddress{"::1", 9090, ""}));
}

TEST(HBaseUrl, RejectsMalformed) {
  for (const char* url : {"", "hbase:/h:1", "rocksdb:///x", "hbase://", "hbase://:9090",
                          "hbase://h:", "hbase://h:0", "hbase://h:65536", "hbase://h:9x",
                          "hbase://h:9090/a/b", "hbase://h:9090/ns-1", "hbase://h?x=1",
                          "hbase://u@h:1", "hbase://[::1", "hbase://[::1]x"}) {
    EXPECT_THROW(parse_hbase_url(url), std::invalid_argument) << url;
  }
}

}  // namespace
}  // namespace chirp::store::hbase
