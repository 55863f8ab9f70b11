#include "store/hbase/hbase_store.hpp"

#include <thrift/TApplicationException.h>
#include <thrift/protocol/TProtocolException.h>
#include <thrift/transport/TTransportException.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/errors.hpp"
#include "store/hbase/thrift_connection_pool.hpp"
#include "store/kv/scan_bounds.hpp"

namespace chirp::store::hbase {

namespace ht = hbase_thrift;
using apache::thrift::TApplicationException;
using apache::thrift::protocol::TProtocolException;
using apache::thrift::transport::TTransportException;
using kv::bounds_of;
using kv::Columns;
using kv::Row;
using kv::ScanBounds;
using kv::ScanRange;

namespace {

// A scan reads rows in batches of at most this many per getScannerRows round trip.
constexpr std::size_t kScanBatch = 1000;

std::string family() {
  return std::string(kv::kFamily);
}

std::vector<ht::TColumn> family_only() {
  ht::TColumn column;
  column.family = family();
  return {column};
}

Columns columns_of(const ht::TResult& result) {
  Columns columns;
  for (const ht::TColumnValue& cell : result.columnValues) {
    if (cell.family == kv::kFamily) columns.insert_or_assign(cell.qualifier, cell.value);
  }
  return columns;
}

std::optional<Columns> row_of(const ht::TResult& result) {
  if (!result.__isset.row || result.columnValues.empty()) return std::nullopt;
  return columns_of(result);
}

ht::TPut put_of(const Row& row) {
  ht::TPut put;
  put.row = row.key;
  put.columnValues.reserve(row.columns.size());
  for (const auto& [qualifier, value] : row.columns) {
    ht::TColumnValue cell;
    cell.family = family();
    cell.qualifier = qualifier;
    cell.value = value;
    put.columnValues.push_back(std::move(cell));
  }
  return put;
}

ht::TDelete whole_row_delete(std::string_view key) {
  ht::TDelete deletion;
  deletion.row = std::string(key);  // no columns: every cell of the row
  return deletion;
}

ht::TGet whole_row_get(std::string_view key) {
  ht::TGet get;
  get.row = std::string(key);
  get.__set_columns(family_only());
  get.__set_maxVersions(1);
  return get;
}

void require_key(std::string_view key) {
  // HBase refuses empty row keys; the RocksDB store accepts them, but no chirp key is empty.
  if (key.empty()) throw std::invalid_argument("wide-column row keys must not be empty");
}

// HBase scans are [startRow, stopRow) going up; a reversed scan starts at startRow (inclusive, the
// HIGH end) and stops before stopRow (the LOW end, exclusive). Our range is [low, high) both ways,
// so a reversed scan starts at `high` and skips it, and stops below a key just under `low`: `low`
// less its last byte is smaller than `low` and close to it (rows between the two are read and
// dropped, usually none).
ht::TScan thrift_scan(const ScanBounds& bounds, const ScanRange& range, std::size_t batch) {
  ht::TScan scan;
  scan.__set_columns(family_only());
  scan.__set_maxVersions(1);
  scan.__set_caching(static_cast<std::int32_t>(batch));
  if (!range.reverse) {
    if (!bounds.low.empty()) scan.__set_startRow(bounds.low);
    if (!bounds.high.empty()) scan.__set_stopRow(bounds.high);
  } else {
    scan.__set_reversed(true);
    if (!bounds.high.empty()) scan.__set_startRow(bounds.high);
    if (bounds.low.size() > 1) scan.__set_stopRow(bounds.low.substr(0, bounds.low.size() - 1));
  }
  return scan;
}

// Closes a server-side scanner however the scan ends. close() reports errors; the destructor (an
// exception is already on its way) swallows them.
class ScannerGuard {
 public:
  ScannerGuard(ht::THBaseServiceClient& client, std::int32_t id) : client_(client), id_(id) {}
  ScannerGuard(const ScannerGuard&) = delete;
  ScannerGuard& operator=(const ScannerGuard&) = delete;
  ~ScannerGuard() {
    if (!open_) return;
    try {
      client_.closeScanner(id_);
    } catch (...) {
      // the connection is being discarded, or the gateway forgot the scanner: it expires there
    }
  }
  void close() {
    open_ = false;
    client_.closeScanner(id_);
  }

 private:
  ht::THBaseServiceClient& client_;
  std::int32_t id_;
  bool open_ = true;
};

// A longer receive timeout for one call (0: keep the default), back to the default afterwards
// whatever happens, before the connection returns to the pool.
class LongerReceiveTimeout {
 public:
  LongerReceiveTimeout(ThriftConnection& connection, std::chrono::milliseconds timeout)
      : connection_(timeout.count() > 0 ? &connection : nullptr) {
    if (connection_) connection_->set_receive_timeout(timeout);
  }
  LongerReceiveTimeout(const LongerReceiveTimeout&) = delete;
  LongerReceiveTimeout& operator=(const LongerReceiveTimeout&) = delete;
  ~LongerReceiveTimeout() {
    if (connection_) connection_->reset_receive_timeout();
  }

 private:
  ThriftConnection* connection_;
};

}  // namespace

struct HBaseStore::Impl {
  Impl(HBaseAddress address_, HBaseOptions options_)
      : address(std::move(address_)),
        options(options_),
        pool(PoolSettings{address.host, address.port, options.pool_size, options.timeout,
                          options.max_idle, options.probe_idle_connections}) {}

  // The name data calls take: "namespace:table", or "table" in the default namespace.
  std::string qualified(std::string_view table) const {
    if (address.name_space.empty()) return std::string(table);
    return address.name_space + ":" + std::string(table);
  }

  ht::TTableName table_name(std::string_view table) const {
    ht::TTableName name;
    if (!address.name_space.empty()) name.__set_ns(address.name_space);
    name.qualifier = std::string(table);
    return name;
  }

  // Runs `body(client)` on a leased connection. A transport failure on a connection that had been
  // idle in the pool is retried once on a fresh connection (the gateway drops idle connections);
  // a failure on a fresh connection means the gateway is gone. Retried calls may be applied twice
  // when only the answer was lost: puts and deletes do not mind, a check-and-mutate then answers
  // false.
  template <class Body>
  auto call(std::string_view what, std::string_view table, Body&& body,
            std::chrono::milliseconds receive_timeout = std::chrono::milliseconds{0}) {
    for (int attempt = 0;; ++attempt) {
      ThriftConnectionPool::Lease lease = pool.acquire();
      try {
        const LongerReceiveTimeout longer(lease.connection(), receive_timeout);
        return body(lease.client());
      } catch (const TTransportException& e) {
        const bool retry = lease.reused() && attempt == 0;
        lease.discard();
        if (retry) continue;
        throw Unavailable("hbase " + std::string(what) + ": " + e.what());
      } catch (const TProtocolException& e) {
        lease.discard();  // out of step with the server
        throw Unavailable("hbase " + std::string(what) + ": protocol error: " + e.what());
      } catch (const TApplicationException& e) {
        throw Unavailable("hbase " + std::string(what) + ": " + e.what());
      } catch (const ht::TIOError& e) {
        // The gateway passes on only the Java exception's message (for a missing table: its
        // name), so ask whether the table exists rather than parse it.
        if (!table.empty() && !exists(lease.client(), table)) {
          throw std::logic_error("wide-column table \"" + std::string(table) +
                                 "\" was never created");
        }
        throw Unavailable("hbase " + std::string(what) + ": " + e.message);
      } catch (const ht::TIllegalArgument& e) {
        throw Unavailable("hbase " + std::string(what) + ": " + e.message);
      }
    }
  }

  // True unless the gateway says the table does not exist (errors count as "exists": the
  // caller then reports its own failure).
  bool exists(ht::THBaseServiceClient& client, std::string_view table) const {
    try {
      return client.tableExists(table_name(table));
    } catch (const std::exception&) {
      return true;
    }
  }

  void ensure_namespace() {
    if (address.name_space.empty() || address.name_space == "default") return;
    call(
        "create namespace", "",
        [&](ht::THBaseServiceClient& client) {
          std::vector<std::string> names;
          client.listNamespaces(names);
          if (std::find(names.begin(), names.end(), address.name_space) != names.end()) return;
          ht::TNamespaceDescriptor descriptor;
          descriptor.name = address.name_space;
          try {
            client.createNamespace(descriptor);
          } catch (const ht::TIOError&) {
            names.clear();
            client.listNamespaces(names);  // another process may have won the race
            if (std::find(names.begin(), names.end(), address.name_space) == names.end()) throw;
          }
        },
        options.admin_timeout);
  }

  // One putMultiple of the rows that have columns, waiting `receive_timeout` for the answer (0:
  // the default).
  void put_many(std::string_view what, std::string_view table, const std::vector<Row>& rows,
                std::chrono::milliseconds receive_timeout) {
    std::vector<ht::TPut> puts;
    puts.reserve(rows.size());
    for (const Row& row : rows) {
      if (row.columns.empty()) continue;
      require_key(row.key);
      puts.push_back(put_of(row));
    }
    if (puts.empty()) {
      // Still fail on an unknown table, like the RocksDB store.
      call(what, table, [&](ht::THBaseServiceClient& client) {
        if (!client.tableExists(table_name(table))) {
          throw std::logic_error("wide-column table \"" + std::string(table) +
                                 "\" was never created");
        }
      });
      return;
    }
    const std::string name = qualified(table);
    call(
        what, table, [&](ht::THBaseServiceClient& client) { client.putMultiple(name, puts); },
        receive_timeout);
  }

  HBaseAddress address;
  HBaseOptions options;
  ThriftConnectionPool pool;
};

HBaseStore::HBaseStore(HBaseAddress address, HBaseOptions options)
    : impl_(std::make_unique<Impl>(std::move(address), options)) {}

HBaseStore::HBaseStore(std::string_view url, HBaseOptions options)
    : HBaseStore(parse_hbase_url(url), options) {}

HBaseStore::~HBaseStore() = default;

void HBaseStore::create_table(std::string_view table) {
  if (table.empty()) throw std::invalid_argument("a wide-column table needs a name");
  impl_->ensure_namespace();
  const ht::TTableName name = impl_->table_name(table);
  impl_->call(
      "create table", "",
      [&](ht::THBaseServiceClient& client) {
        if (client.tableExists(name)) return;
        ht::TColumnFamilyDescriptor column_family;
        column_family.name = family();
        column_family.__set_maxVersions(1);
        // Without it a delete masks later puts carrying the same millisecond timestamp (a row
        // removed and written again at once would stay invisible until a major compaction).
        column_family.__set_attributes({{"NEW_VERSION_BEHAVIOR", "true"}});
        ht::TTableDescriptor descriptor;
        descriptor.tableName = name;
        descriptor.__set_columns({column_family});
        try {
          client.createTable(descriptor, {});
        } catch (const ht::TIOError&) {
          if (!client.tableExists(name)) throw;  // else another process won the race
        }
      },
      impl_->options.admin_timeout);
}

void HBaseStore::drop_table(std::string_view table) {
  const ht::TTableName name = impl_->table_name(table);
  impl_->call(
      "drop table", "",
      [&](ht::THBaseServiceClient& client) {
        if (!client.tableExists(name)) return;
        // A racing drop may disable or delete the table between these calls.
        try {
          if (client.isTableEnabled(name)) client.disableTable(name);
        } catch (const ht::TIOError&) {
          if (client.tableExists(name) && client.isTableEnabled(name)) throw;
        }
        try {
          client.deleteTable(name);
        } catch (const ht::TIOError&) {
          if (client.tableExists(name)) throw;
        }
      },
      impl_->options.admin_timeout);
}

void HBaseStore::put(std::string_view table, const Row& row) {
  if (row.columns.empty()) return;
  require_key(row.key);
  const std::string name = impl_->qualified(table);
  const ht::TPut put = put_of(row);
  impl_->call("put", table, [&](ht::THBaseServiceClient& client) { client.put(name, put); });
}

void HBaseStore::put_many(std::string_view table, const std::vector<Row>& rows) {
  impl_->put_many("put many", table, rows, std::chrono::milliseconds{0});
}

void HBaseStore::load_many(std::string_view table, const std::vector<Row>& rows) {
  impl_->put_many("load many", table, rows, impl_->options.bulk_timeout);
}

std::optional<Columns> HBaseStore::get(std::string_view table, std::string_view key) {
  require_key(key);
  const std::string name = impl_->qualified(table);
  const ht::TGet get = whole_row_get(key);
  return impl_->call("get", table, [&](ht::THBaseServiceClient& client) {
    ht::TResult result;
    client.get(result, name, get);
    return row_of(result);
  });
}

std::vector<std::optional<Columns>> HBaseStore::get_many(std::string_view table,
                                                         const std::vector<std::string>& keys) {
  const std::string name = impl_->qualified(table);
  std::vector<ht::TGet> gets;
  gets.reserve(keys.size());
  for (const std::string& key : keys) {
    require_key(key);
    gets.push_back(whole_row_get(key));
  }
  if (gets.empty()) {
    impl_->call("get many", table, [&](ht::THBaseServiceClient& client) {
      if (!client.tableExists(impl_->table_name(table))) {
        throw std::logic_error("wide-column table \"" + std::string(table) +
                               "\" was never created");
      }
    });
    return {};
  }
  return impl_->call("get many", table, [&](ht::THBaseServiceClient& client) {
    std::vector<ht::TResult> results;
    client.getMultiple(results, name, gets);
    if (results.size() != gets.size()) {
      throw Unavailable("hbase get many: " + std::to_string(results.size()) + " answers for " +
                        std::to_string(gets.size()) + " keys");
    }
    std::vector<std::optional<Columns>> rows;
    rows.reserve(results.size());
    for (const ht::TResult& result : results) rows.push_back(row_of(result));
    return rows;
  });
}

void HBaseStore::remove(std::string_view table, std::string_view key) {
  require_key(key);
  const std::string name = impl_->qualified(table);
  const ht::TDelete deletion = whole_row_delete(key);
  impl_->call("remove", table,
              [&](ht::THBaseServiceClient& client) { client.deleteSingle(name, deletion); });
}

void HBaseStore::remove_many(std::string_view table, const std::vector<std::string>& keys) {
  const std::string name = impl_->qualified(table);
  std::vector<ht::TDelete> deletions;
  deletions.reserve(keys.size());
  for (const std::string& key : keys) {
    require_key(key);
    deletions.push_back(whole_row_delete(key));
  }
  if (deletions.empty()) return;
  impl_->call("remove many", table, [&](ht::THBaseServiceClient& client) {
    std::vector<ht::TDelete> failed;
    client.deleteMultiple(failed, name, deletions);
    if (!failed.empty()) {
      throw Unavailable("hbase remove many: " + std::to_string(failed.size()) +
                        " deletes were not applied");
    }
  });
}

std::vector<Row> HBaseStore::scan(std::string_view table, const ScanRange& range) {
  const ScanBounds bounds = bounds_of(range);
  if (!bounds.high.empty() && bounds.high <= bounds.low) {
    // Empty range; still fail on an unknown table, like the RocksDB store.
    impl_->call("scan", table, [&](ht::THBaseServiceClient& client) {
      if (!client.tableExists(impl_->table_name(table))) {
        throw std::logic_error("wide-column table \"" + std::string(table) +
                               "\" was never created");
      }
    });
    return {};
  }
  // A reversed scan may read `high` itself and drop it: one row more than the limit.
  const std::size_t wanted = range.limit == 0 ? kScanBatch : range.limit + (range.reverse ? 1 : 0);
  const std::size_t batch = std::min(wanted, kScanBatch);
  const std::string name = impl_->qualified(table);
  const ht::TScan scan = thrift_scan(bounds, range, batch);
  return impl_->call("scan", table, [&](ht::THBaseServiceClient& client) {
    std::vector<Row> rows;
    const std::int32_t id = client.openScanner(name, scan);
    ScannerGuard scanner(client, id);
    bool done = false;
    while (!done) {
      std::vector<ht::TResult> results;
      client.getScannerRows(results, id, static_cast<std::int32_t>(batch));
      if (results.empty()) break;
      for (const ht::TResult& result : results) {
        const std::string& key = result.row;
        if (range.reverse && !bounds.high.empty() && key >= bounds.high) continue;
        if (!bounds.contains(key)) {
          // Past the end: below `low` going down (the stopRow slack); never above `high` going up.
          done = true;
          break;
        }
        rows.push_back(Row{key, columns_of(result)});
        if (range.limit != 0 && rows.size() == range.limit) {
          done = true;
          break;
        }
      }
    }
    scanner.close();
    return rows;
  });
}

bool HBaseStore::check_and_put(std::string_view table, const Row& row, std::string_view column,
                               const std::optional<std::string>& expected) {
  require_key(row.key);
  if (row.columns.empty()) {
    // HBase refuses a put without cells; only the check is left to do.
    const std::optional<Columns> current = get(table, row.key);
    const auto cell = current ? current->find(std::string(column)) : Columns::const_iterator{};
    const bool exists = current && cell != current->end();
    return expected ? exists && cell->second == *expected : !exists;
  }
  const std::string name = impl_->qualified(table);
  const ht::TPut put = put_of(row);
  return impl_->call("check and put", table, [&](ht::THBaseServiceClient& client) {
    // An empty value is how the protocol says "only when the cell does not exist" (see header).
    return client.checkAndPut(name, row.key, family(), std::string(column),
                              expected.value_or(std::string()), put);
  });
}

bool HBaseStore::check_and_remove(std::string_view table, std::string_view key,
                                  std::string_view column, std::string_view expected) {
  require_key(key);
  const std::string name = impl_->qualified(table);
  const ht::TDelete deletion = whole_row_delete(key);
  return impl_->call("check and remove", table, [&](ht::THBaseServiceClient& client) {
    return client.checkAndDelete(name, std::string(key), family(), std::string(column),
                                 std::string(expected), deletion);
  });
}

bool HBaseStore::ping() {
  try {
    return impl_->call("ping", "", [&](ht::THBaseServiceClient& client) {
      std::vector<std::string> names;
      client.listNamespaces(names);
      return !names.empty();
    });
  } catch (const std::exception&) {
    return false;
  }
}

void HBaseStore::sever_idle_connections_for_testing() {
  impl_->pool.sever_idle_connections();
}

std::size_t HBaseStore::open_connections() const {
  return impl_->pool.open_connections();
}

}  // namespace chirp::store::hbase
