#pragma once
// The wide-column store, opened on first use. Commands that never touch it (createsuperuser,
// gatekeeper, a worker while every switch is off) then never open it — which matters for RocksDB,
// whose database only one process may hold. Opening also creates the tables. A failed open is
// retried by the next call.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "store/kv/wide_column_store.hpp"

namespace chirp::app {

class LazyKvStore final : public store::kv::WideColumnStore {
 public:
  using Opener = std::function<std::unique_ptr<store::kv::WideColumnStore>()>;
  explicit LazyKvStore(Opener open) : open_(std::move(open)) {}

  // Opens the store now (throws what opening throws, e.g. store::kv::KvStoreLocked).
  store::kv::WideColumnStore& store();
  bool is_open() const { return opened_.load() != nullptr; }

  void create_table(std::string_view table) override { store().create_table(table); }
  void drop_table(std::string_view table) override { store().drop_table(table); }
  void put(std::string_view table, const store::kv::Row& row) override { store().put(table, row); }
  void put_many(std::string_view table, const std::vector<store::kv::Row>& rows) override {
    store().put_many(table, rows);
  }
  void load_many(std::string_view table, const std::vector<store::kv::Row>& rows) override {
    store().load_many(table, rows);
  }
  std::optional<store::kv::Columns> get(std::string_view table, std::string_view key) override {
    return store().get(table, key);
  }
  std::vector<std::optional<store::kv::Columns>> get_many(
      std::string_view table, const std::vector<std::string>& keys) override {
    return store().get_many(table, keys);
  }
  void remove(std::string_view table, std::string_view key) override { store().remove(table, key); }
  void remove_many(std::string_view table, const std::vector<std::string>& keys) override {
    store().remove_many(table, keys);
  }
  std::vector<store::kv::Row> scan(std::string_view table,
                                   const store::kv::ScanRange& range) override {
    return store().scan(table, range);
  }
  bool check_and_put(std::string_view table, const store::kv::Row& row, std::string_view column,
                     const std::optional<std::string>& expected) override {
    return store().check_and_put(table, row, column, expected);
  }
  bool check_and_remove(std::string_view table, std::string_view key, std::string_view column,
                        std::string_view expected) override {
    return store().check_and_remove(table, key, column, expected);
  }
  // False when it cannot be opened or does not answer.
  bool ping() override;

 private:
  Opener open_;
  std::mutex mutex_;
  std::unique_ptr<store::kv::WideColumnStore> store_;
  std::atomic<store::kv::WideColumnStore*> opened_{nullptr};
};

}  // namespace chirp::app
