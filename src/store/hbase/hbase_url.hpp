#pragma once
// The --kv-url setting for HBase: hbase://host[:port][/namespace] (DESIGN §1). The port is the
// Thrift2 gateway's and defaults to 9090; without a namespace tables live in HBase's "default".
#include <cstdint>
#include <string>
#include <string_view>

namespace chirp::store::hbase {

struct HBaseAddress {
  std::string host;
  std::uint16_t port = 9090;
  std::string name_space;  // empty: HBase's default namespace

  friend bool operator==(const HBaseAddress&, const HBaseAddress&) = default;
};

// Throws std::invalid_argument naming what is wrong.
HBaseAddress parse_hbase_url(std::string_view url);

}  // namespace chirp::store::hbase
