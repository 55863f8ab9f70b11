#pragma once
// The embedded wide-column store (DESIGN §6): one RocksDB database, one column family per table,
// each row stored as ONE value holding all its columns (store/kv/row_codec), so get and scan read a
// row with a single lookup.
//
// A put is a RocksDB merge operand that overlays its columns on the row (no read before the
// write); the check_and_* operations read and then write. Every write runs under one process-wide
// mutex, which makes check_and_* atomic against all other writes; reads take no lock. RocksDB
// allows one process per database, so that mutex is enough. Tables must be created with
// create_table before use: any other operation on an unknown table throws std::logic_error (a typo
// in a table name is a bug, and HBase refuses unknown tables too); drop_table of an unknown table
// is a no-op. Writes go to the WAL without fsync: a crashed process loses nothing, a crashed
// machine may lose the last writes.
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/kv/wide_column_store.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace chirp::store::kv {

// Another process has the database open (RocksDB takes a file lock). The app layer catches it to
// hand the work to the running server instead.
struct KvStoreLocked : std::runtime_error {
  explicit KvStoreLocked(const std::string& path)
      : std::runtime_error("another process holds the wide-column store at " + path) {}
};

// "rocksdb:///abs/path" → "/abs/path". Throws std::invalid_argument for any other shape (another
// scheme, a host part, a relative or empty path, a query or fragment).
std::string rocksdb_path_from_url(std::string_view url);

class RocksDbStore final : public WideColumnStore {
 public:
  // Opens (creating when missing) the database at `path` with all its tables. Throws KvStoreLocked
  // when another process has it open, chirp::Unavailable for other I/O errors.
  explicit RocksDbStore(const std::string& path);
  ~RocksDbStore() override;
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  void create_table(std::string_view table) override;
  void drop_table(std::string_view table) override;
  void put(std::string_view table, const Row& row) override;
  void put_many(std::string_view table, const std::vector<Row>& rows) override;
  void load_many(std::string_view table, const std::vector<Row>& rows) override {
    put_many(table, rows);
  }
  std::optional<Columns> get(std::string_view table, std::string_view key) override;
  std::vector<std::optional<Columns>> get_many(std::string_view table,
                                               const std::vector<std::string>& keys) override;
  void remove(std::string_view table, std::string_view key) override;
  void remove_many(std::string_view table, const std::vector<std::string>& keys) override;
  std::vector<Row> scan(std::string_view table, const ScanRange& range) override;
  bool check_and_put(std::string_view table, const Row& row, std::string_view column,
                     const std::optional<std::string>& expected) override;
  bool check_and_remove(std::string_view table, std::string_view key, std::string_view column,
                        std::string_view expected) override;
  bool ping() override;

 private:
  // Shared so that a read going on while the table is dropped keeps its handle valid.
  using FamilyHandle = std::shared_ptr<rocksdb::ColumnFamilyHandle>;

  FamilyHandle adopt_handle(rocksdb::ColumnFamilyHandle* handle);
  FamilyHandle family(std::string_view table);  // std::logic_error for an unknown table
  std::optional<Columns> read_row(rocksdb::ColumnFamilyHandle& family, std::string_view key);
  // Writes `columns` over the row's (a merge operand: other columns stay; no read).
  void overlay_columns(rocksdb::ColumnFamilyHandle& family, std::string_view key,
                       const Columns& columns);

  std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  FamilyHandle default_family_;
  std::shared_mutex families_mutex_;
  std::unordered_map<std::string, FamilyHandle> families_;  // table → handle, not "default"
  std::mutex write_mutex_;
};

}  // namespace chirp::store::kv
