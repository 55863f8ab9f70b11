#pragma once
// The production wide-column store (DESIGN §6): HBase through its Thrift2 gateway. Each table has
// the one column family "cf" keeping one version per cell; a row's columns are that family's
// cells. Thrift stays inside store/hbase/*.cpp (this header does not pull it in).
//
// Connection failures (gateway down, timeouts, a connection dropped and not recoverable by one
// retry on a fresh connection) throw chirp::Unavailable, as do server-side errors (regions
// unavailable, ...). Operations on a table that was never created throw std::logic_error, like the
// RocksDB store.
//
// Known difference from RocksDB, from HBase itself: its check-and-mutate treats an empty value as
// "no cell", so check_and_put(expected nullopt) also matches a cell holding "", and expected ""
// (or check_and_remove with expected "") also matches a missing cell. Do not check columns that
// may hold empty values.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "store/hbase/hbase_url.hpp"
#include "store/kv/wide_column_store.hpp"

namespace chirp::store::hbase {

struct HBaseOptions {
  std::size_t pool_size = 8;
  std::chrono::milliseconds timeout{5000};          // connect, send, receive of data calls
  std::chrono::milliseconds admin_timeout{120000};  // receive of create/drop table
  // Receive of load_many: a region server taking a bulk load may block writes while it flushes
  // (bench/run.sh saw a seed's put time out after 5 s on a busy machine).
  std::chrono::milliseconds bulk_timeout{60000};
  // Idle connections older than this are replaced before use; keep it below the gateway's read
  // timeout (its -t, 60 s by default).
  std::chrono::milliseconds max_idle{30000};
  // Look for a server-side close before reusing an idle connection (tests turn it off to reach
  // the retry path).
  bool probe_idle_connections = true;
};

class HBaseStore final : public kv::WideColumnStore {
 public:
  // Connects lazily: constructing never fails for an unreachable gateway.
  explicit HBaseStore(HBaseAddress address, HBaseOptions options = {});
  // From an hbase:// URL (std::invalid_argument when malformed).
  explicit HBaseStore(std::string_view url, HBaseOptions options = {});
  ~HBaseStore() override;
  HBaseStore(const HBaseStore&) = delete;
  HBaseStore& operator=(const HBaseStore&) = delete;

  void create_table(std::string_view table) override;
  void drop_table(std::string_view table) override;
  void put(std::string_view table, const kv::Row& row) override;
  void put_many(std::string_view table, const std::vector<kv::Row>& rows) override;
  // put_many waiting up to bulk_timeout for the answer.
  void load_many(std::string_view table, const std::vector<kv::Row>& rows) override;
  std::optional<kv::Columns> get(std::string_view table, std::string_view key) override;
  std::vector<std::optional<kv::Columns>> get_many(std::string_view table,
                                                   const std::vector<std::string>& keys) override;
  void remove(std::string_view table, std::string_view key) override;
  void remove_many(std::string_view table, const std::vector<std::string>& keys) override;
  std::vector<kv::Row> scan(std::string_view table, const kv::ScanRange& range) override;
  bool check_and_put(std::string_view table, const kv::Row& row, std::string_view column,
                     const std::optional<std::string>& expected) override;
  bool check_and_remove(std::string_view table, std::string_view key, std::string_view column,
                        std::string_view expected) override;
  bool ping() override;

  // Tests: make every idle pooled connection dead, as a gateway dropping idle clients does.
  void sever_idle_connections_for_testing();
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chirp::store::hbase
