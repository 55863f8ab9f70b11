#include "store/kv/rocksdb_store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>

#include "common/errors.hpp"
#include "store/kv/row_codec.hpp"
#include "store/kv/scan_bounds.hpp"

namespace chirp::store::kv {
namespace {

constexpr std::string_view kUrlScheme = "rocksdb://";

// RocksDB's lock failures: in another process (fcntl lock refused) and in this one (the file is
// in RocksDB's own set of locked files).
bool is_lock_error(const rocksdb::Status& status) {
  if (!status.IsIOError()) return false;
  const std::string text = status.ToString();
  return text.find("While lock file") != std::string::npos ||
         text.find("lock hold by current process") != std::string::npos;
}

void check(const rocksdb::Status& status, std::string_view what) {
  if (!status.ok()) {
    throw Unavailable("rocksdb " + std::string(what) + ": " + status.ToString());
  }
}

rocksdb::Slice slice(std::string_view s) {
  return {s.data(), s.size()};
}

int compare(const rocksdb::Slice& a, std::string_view b) {
  return a.compare(slice(b));
}

// A put writes only the columns it names (HBase cells), while a row is one RocksDB value: puts
// are merge operands that overlay their columns on the row, so a write never reads the row first
// (the fan-out writes thousands of feed rows per batch). RocksDB folds the operands into the value
// on reads and compactions.
class ColumnOverlay final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    if (existing == nullptr) {
      new_value->assign(value.data(), value.size());
      return true;
    }
    try {
      Columns columns = decode_row_value(existing->ToStringView());
      for (auto& [qualifier, cell] : decode_row_value(value.ToStringView())) {
        columns.insert_or_assign(qualifier, std::move(cell));
      }
      *new_value = encode_row_value(columns);
      return true;
    } catch (const std::exception&) {
      return false;  // not our encoding: RocksDB reports the row as corrupt
    }
  }
  const char* Name() const override { return "chirp.ColumnOverlay"; }
};

rocksdb::Options database_options() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.merge_operator = std::make_shared<ColumnOverlay>();
  // Bloom filters: most point reads on the hot paths (follow checks, feed de-duplication) ask for
  // rows that do not exist, which a filter answers without reading a block.
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

std::string rocksdb_path_from_url(std::string_view url) {
  if (!url.starts_with(kUrlScheme)) {
    throw std::invalid_argument("not a rocksdb:// URL: " + std::string(url));
  }
  const std::string_view path = url.substr(kUrlScheme.size());
  if (!path.starts_with('/')) {
    throw std::invalid_argument(
        "a rocksdb URL takes an absolute path and no host (rocksdb:///path): " + std::string(url));
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    throw std::invalid_argument("a rocksdb URL takes no query or fragment: " + std::string(url));
  }
  if (path.find_first_not_of('/') == std::string_view::npos) {
    throw std::invalid_argument("a rocksdb URL needs a directory path: " + std::string(url));
  }
  return std::string(path);
}

RocksDbStore::RocksDbStore(const std::string& path) : path_(path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) throw Unavailable("rocksdb cannot create " + path + ": " + error.message());

  const rocksdb::Options options = database_options();
  std::vector<std::string> names{rocksdb::kDefaultColumnFamilyName};
  if (std::filesystem::exists(std::filesystem::path(path) / "CURRENT")) {
    names.clear();
    check(rocksdb::DB::ListColumnFamilies(options, path, &names), "list tables");
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(options));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(options, path, descriptors, &handles, &db);
  if (is_lock_error(status)) throw KvStoreLocked(path);
  check(status, "open " + path);
  db_.reset(db);
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    FamilyHandle owned = adopt_handle(handle);
    if (handle->GetName() == rocksdb::kDefaultColumnFamilyName) {
      default_family_ = std::move(owned);
    } else {
      families_.emplace(handle->GetName(), std::move(owned));
    }
  }
}

RocksDbStore::~RocksDbStore() {
  // Memtables to SST files now: otherwise the next open replays the whole write-ahead log, which
  // after a bulk load (chirp seed, backfill) takes minutes. Errors cannot be reported from here.
  if (db_) {
    std::vector<rocksdb::ColumnFamilyHandle*> all;
    if (default_family_) all.push_back(default_family_.get());
    for (const auto& [name, handle] : families_) all.push_back(handle.get());
    db_->Flush(rocksdb::FlushOptions(), all).PermitUncheckedError();
  }
  // Every handle must be released before the database closes.
  families_.clear();
  default_family_.reset();
  if (db_) db_->Close();  // errors on close cannot be reported from a destructor
}

RocksDbStore::FamilyHandle RocksDbStore::adopt_handle(rocksdb::ColumnFamilyHandle* handle) {
  rocksdb::DB* db = db_.get();
  return FamilyHandle(handle,
                      [db](rocksdb::ColumnFamilyHandle* h) { db->DestroyColumnFamilyHandle(h); });
}

RocksDbStore::FamilyHandle RocksDbStore::family(std::string_view table) {
  std::shared_lock lock(families_mutex_);
  const auto it = families_.find(std::string(table));
  if (it == families_.end()) {
    throw std::logic_error("wide-column table \"" + std::string(table) + "\" was never created");
  }
  return it->second;
}

void RocksDbStore::create_table(std::string_view table) {
  if (table.empty() || table == rocksdb::kDefaultColumnFamilyName) {
    throw std::invalid_argument("not a usable table name: \"" + std::string(table) + "\"");
  }
  std::unique_lock lock(families_mutex_);
  if (families_.contains(std::string(table))) return;
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  check(db_->CreateColumnFamily(rocksdb::ColumnFamilyOptions(database_options()),
                                std::string(table), &handle),
        "create table");
  families_.emplace(std::string(table), adopt_handle(handle));
}

void RocksDbStore::drop_table(std::string_view table) {
  std::unique_lock lock(families_mutex_);
  const auto it = families_.find(std::string(table));
  if (it == families_.end()) return;
  check(db_->DropColumnFamily(it->second.get()), "drop table");
  families_.erase(it);
}

std::optional<Columns> RocksDbStore::read_row(rocksdb::ColumnFamilyHandle& family,
                                              std::string_view key) {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), &family, slice(key), &value);
  if (status.IsNotFound()) return std::nullopt;
  check(status, "get");
  return decode_row_value(value);
}

void RocksDbStore::overlay_columns(rocksdb::ColumnFamilyHandle& family, std::string_view key,
                                   const Columns& columns) {
  check(db_->Merge(rocksdb::WriteOptions(), &family, slice(key), encode_row_value(columns)), "put");
}

void RocksDbStore::put(std::string_view table, const Row& row) {
  if (row.columns.empty()) return;
  const FamilyHandle handle = family(table);
  std::lock_guard lock(write_mutex_);
  overlay_columns(*handle, row.key, row.columns);
}

void RocksDbStore::put_many(std::string_view table, const std::vector<Row>& rows) {
  const FamilyHandle handle = family(table);
  // In key order: the memtable's skip list then inserts each key next to the previous one instead
  // of searching from the top (a third of a bulk write's time otherwise). Stable, so a key given
  // twice still ends with the later row's columns on top.
  std::vector<const Row*> sorted;
  sorted.reserve(rows.size());
  for (const Row& row : rows) {
    if (!row.columns.empty()) sorted.push_back(&row);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Row* a, const Row* b) { return a->key < b->key; });
  rocksdb::WriteBatch batch;
  for (const Row* row : sorted) {
    check(batch.Merge(handle.get(), slice(row->key), encode_row_value(row->columns)), "put");
  }
  if (batch.Count() == 0) return;
  std::lock_guard lock(write_mutex_);
  check(db_->Write(rocksdb::WriteOptions(), &batch), "put many");
}

std::optional<Columns> RocksDbStore::get(std::string_view table, std::string_view key) {
  const FamilyHandle handle = family(table);
  return read_row(*handle, key);
}

std::vector<std::optional<Columns>> RocksDbStore::get_many(std::string_view table,
                                                           const std::vector<std::string>& keys) {
  const FamilyHandle handle = family(table);
  if (keys.empty()) return {};
  const std::vector<rocksdb::ColumnFamilyHandle*> families(keys.size(), handle.get());
  std::vector<rocksdb::Slice> key_slices;
  key_slices.reserve(keys.size());
  for (const std::string& key : keys) key_slices.emplace_back(key);
  std::vector<std::string> values;
  const std::vector<rocksdb::Status> statuses =
      db_->MultiGet(rocksdb::ReadOptions(), families, key_slices, &values);
  std::vector<std::optional<Columns>> rows;
  rows.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      rows.emplace_back(std::nullopt);
    } else {
      check(statuses[i], "get many");
      rows.emplace_back(decode_row_value(values[i]));
    }
  }
  return rows;
}

void RocksDbStore::remove(std::string_view table, std::string_view key) {
  const FamilyHandle handle = family(table);
  // Under the write mutex so that a concurrent put's read-modify-write cannot bring the row back.
  std::lock_guard lock(write_mutex_);
  check(db_->Delete(rocksdb::WriteOptions(), handle.get(), slice(key)), "remove");
}

void RocksDbStore::remove_many(std::string_view table, const std::vector<std::string>& keys) {
  const FamilyHandle handle = family(table);
  if (keys.empty()) return;
  rocksdb::WriteBatch batch;
  for (const std::string& key : keys) check(batch.Delete(handle.get(), key), "remove");
  std::lock_guard lock(write_mutex_);
  check(db_->Write(rocksdb::WriteOptions(), &batch), "remove many");
}

std::vector<Row> RocksDbStore::scan(std::string_view table, const ScanRange& range) {
  const FamilyHandle handle = family(table);
  const ScanBounds bounds = bounds_of(range);
  std::vector<Row> rows;
  if (!bounds.high.empty() && bounds.high <= bounds.low) return rows;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle.get()));
  const auto in_bounds = [&](const rocksdb::Slice& key) {
    return compare(key, bounds.low) >= 0 && (bounds.high.empty() || compare(key, bounds.high) < 0);
  };
  if (range.reverse) {
    if (bounds.high.empty()) {
      it->SeekToLast();
    } else {
      it->SeekForPrev(bounds.high);  // the last key <= high; high itself is excluded below
      if (it->Valid() && compare(it->key(), bounds.high) == 0) it->Prev();
    }
  } else {
    it->Seek(bounds.low);
  }
  for (; it->Valid() && in_bounds(it->key()); range.reverse ? it->Prev() : it->Next()) {
    rows.push_back(Row{it->key().ToString(), decode_row_value(it->value().ToStringView())});
    if (range.limit != 0 && rows.size() == range.limit) break;
  }
  check(it->status(), "scan");
  return rows;
}

bool RocksDbStore::check_and_put(std::string_view table, const Row& row, std::string_view column,
                                 const std::optional<std::string>& expected) {
  const FamilyHandle handle = family(table);
  std::lock_guard lock(write_mutex_);
  Columns columns = read_row(*handle, row.key).value_or(Columns{});
  const auto cell = columns.find(std::string(column));
  const bool matches =
      expected ? cell != columns.end() && cell->second == *expected : cell == columns.end();
  if (!matches) return false;
  if (!row.columns.empty()) overlay_columns(*handle, row.key, row.columns);
  return true;
}

bool RocksDbStore::check_and_remove(std::string_view table, std::string_view key,
                                    std::string_view column, std::string_view expected) {
  const FamilyHandle handle = family(table);
  std::lock_guard lock(write_mutex_);
  const std::optional<Columns> columns = read_row(*handle, key);
  if (!columns) return false;
  const auto cell = columns->find(std::string(column));
  if (cell == columns->end() || cell->second != expected) return false;
  check(db_->Delete(rocksdb::WriteOptions(), handle.get(), slice(key)), "remove");
  return true;
}

bool RocksDbStore::ping() {
  std::uint64_t background_errors = 0;
  return db_->GetIntProperty("rocksdb.background-errors", &background_errors) &&
         background_errors == 0;
}

}  // namespace chirp::store::kv
