#pragma once
// The wide-column store (DESIGN §6): tables of rows sorted by key, each row a set of columns in the
// one column family "cf". Two implementations: RocksDB (embedded, store/kv/rocksdb_store) and HBase
// through its Thrift2 gateway (store/hbase). Both throw chirp::Unavailable when the store cannot be
// reached, and behave identically otherwise (tests/unit/kv runs one suite against both).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chirp::store::kv {

// Column qualifier → value. Values and keys are byte strings.
using Columns = std::map<std::string, std::string>;

struct Row {
  std::string key;
  Columns columns;
  friend bool operator==(const Row&, const Row&) = default;
};

// The rows whose key k satisfies low <= k < high and starts with `prefix`, ascending (or
// descending with `reverse`), at most `limit` of them. Empty low/high/prefix: unbounded;
// limit 0: no limit. (Default member initializers let callers use designated initializers
// without -Wmissing-field-initializers.)
struct ScanRange {
  std::string low = {};
  std::string high = {};
  std::string prefix = {};
  std::size_t limit = 0;
  bool reverse = false;
};

class WideColumnStore {
 public:
  virtual ~WideColumnStore() = default;
  // Creates the table unless it exists (idempotent, safe to race with other processes).
  virtual void create_table(std::string_view table) = 0;
  // Removes the table and its rows when it exists (tests).
  virtual void drop_table(std::string_view table) = 0;
  // Writes the row's columns (other columns of the row stay). A row without columns is a no-op.
  virtual void put(std::string_view table, const Row& row) = 0;
  // Writes many rows in one round trip (one RocksDB write batch, one HBase putMultiple).
  virtual void put_many(std::string_view table, const std::vector<Row>& rows) = 0;
  // put_many for bulk loads (`chirp seed` into empty tables): the same writes, given more time
  // (HBase: a region server taking millions of rows blocks writes while it flushes). Safe to call
  // from several threads at once.
  virtual void load_many(std::string_view table, const std::vector<Row>& rows) = 0;
  // The row's columns, nullopt when the row does not exist.
  virtual std::optional<Columns> get(std::string_view table, std::string_view key) = 0;
  // One answer per key, in the order of `keys`, in one round trip.
  virtual std::vector<std::optional<Columns>> get_many(std::string_view table,
                                                       const std::vector<std::string>& keys) = 0;
  // Deletes the whole row (absent: no-op).
  virtual void remove(std::string_view table, std::string_view key) = 0;
  virtual void remove_many(std::string_view table, const std::vector<std::string>& keys) = 0;
  virtual std::vector<Row> scan(std::string_view table, const ScanRange& range) = 0;
  // Atomically: writes `row` only when column `column` of row.key currently holds `expected`
  // (nullopt: only when that cell does not exist). True when it wrote.
  virtual bool check_and_put(std::string_view table, const Row& row, std::string_view column,
                             const std::optional<std::string>& expected) = 0;
  // Atomically: deletes the whole row `key` only when its column `column` holds `expected`.
  virtual bool check_and_remove(std::string_view table, std::string_view key,
                                std::string_view column, std::string_view expected) = 0;
  // True when the store answers (for /readyz).
  virtual bool ping() = 0;
};

// The column family every table has.
inline constexpr std::string_view kFamily = "cf";

}  // namespace chirp::store::kv
