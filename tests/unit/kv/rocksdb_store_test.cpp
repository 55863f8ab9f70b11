// RocksDbStore: the shared wide-column conformance suite, plus what only the embedded store has
// (reopening, the single-process lock, URLs, its row encoding).
#include "store/kv/rocksdb_store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/errors.hpp"
#include "kv_test_support.hpp"
#include "store/kv/row_codec.hpp"
#include "wide_column_store_suite.hpp"

namespace chirp::store::kv::testing {

INSTANTIATE_TEST_SUITE_P(RocksDb, WideColumnStoreSuite,
                         ::testing::Values(StoreFactory{"rocksdb", open_temp_rocksdb}),
                         factory_name);

namespace {

TEST(RocksDbStoreTest, ReopenKeepsTablesAndRows) {
  const TempDir dir;
  {
    RocksDbStore store(dir.path().string());
    store.create_table("one");
    store.create_table("two");
    store.put("one", Row{"k", {{"a", "1"}, {"b", "2"}}});
    store.put("two", Row{"k", {{"c", "3"}}});
    store.create_table("dropped");
    store.drop_table("dropped");
  }
  RocksDbStore store(dir.path().string());
  EXPECT_EQ(store.get("one", "k"), (Columns{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(store.get("two", "k"), (Columns{{"c", "3"}}));
  EXPECT_THROW(store.get("dropped", "k"), std::logic_error);
}

TEST(RocksDbStoreTest, CreatesMissingParentDirectories) {
  const TempDir dir;
  RocksDbStore store((dir.path() / "a" / "b").string());
  store.create_table("t");
  store.put("t", Row{"k", {{"v", "1"}}});
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "a" / "b" / "CURRENT"));
}

TEST(RocksDbStoreTest, SecondOpenInTheSameProcessIsKvStoreLocked) {
  const TempDir dir;
  RocksDbStore first(dir.path().string());
  try {
    RocksDbStore second(dir.path().string());
    FAIL() << "the second open succeeded";
  } catch (const KvStoreLocked& error) {
    EXPECT_NE(std::string(error.what()).find("another process holds"), std::string::npos);
  }
  // The first one still works.
  first.create_table("t");
  first.put("t", Row{"k", {{"v", "1"}}});
  EXPECT_TRUE(first.get("t", "k").has_value());
}

TEST(RocksDbStoreTest, OpenWhileAnotherProcessHoldsTheLockIsKvStoreLocked) {
  const TempDir dir;
  std::filesystem::create_directories(dir.path());
  const std::string lock_file = (dir.path() / "LOCK").string();
  int to_parent[2];
  int to_child[2];
  ASSERT_EQ(pipe(to_parent), 0);
  ASSERT_EQ(pipe(to_child), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Takes the lock RocksDB takes (an fcntl write lock on LOCK), then waits to be told to exit.
    // Only async-signal-safe calls here.
    const int fd = open(lock_file.c_str(), O_RDWR | O_CREAT, 0644);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    const char ok = (fd >= 0 && fcntl(fd, F_SETLK, &lock) == 0) ? 'y' : 'n';
    if (write(to_parent[1], &ok, 1) != 1) _exit(2);
    char done = 0;
    if (read(to_child[0], &done, 1) < 0) _exit(3);
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(to_parent[0], &ok, 1), 1);
  EXPECT_EQ(ok, 'y');
  EXPECT_THROW(RocksDbStore(dir.path().string()), KvStoreLocked);
  const char done = 'x';
  ASSERT_EQ(write(to_child[1], &done, 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (const int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) close(fd);
  // Released: it opens now.
  EXPECT_NO_THROW(RocksDbStore(dir.path().string()));
}

TEST(RocksDbStoreTest, UnknownTableIsALogicError) {
  const TempDir dir;
  RocksDbStore store(dir.path().string());
  EXPECT_THROW(store.get("nope", "k"), std::logic_error);
  EXPECT_THROW(store.put("nope", Row{"k", {{"v", "1"}}}), std::logic_error);
  EXPECT_THROW(store.scan("nope", {}), std::logic_error);
  EXPECT_NO_THROW(store.drop_table("nope"));
  EXPECT_THROW(store.create_table("default"), std::invalid_argument);
  EXPECT_THROW(store.create_table(""), std::invalid_argument);
}

TEST(RocksDbStoreTest, UnusablePathIsUnavailable) {
  const TempDir dir;
  std::filesystem::create_directories(dir.path());
  const auto file = dir.path() / "a-file";
  { std::ofstream(file) << "x"; }
  EXPECT_THROW(RocksDbStore((file / "db").string()), Unavailable);
}

TEST(RocksDbUrlTest, TakesAnAbsolutePathAfterThreeSlashes) {
  EXPECT_EQ(rocksdb_path_from_url("rocksdb:///var/lib/chirp/kv"), "/var/lib/chirp/kv");
  EXPECT_EQ(rocksdb_path_from_url("rocksdb:///tmp/x/"), "/tmp/x/");
  for (const char* bad :
       {"", "rocksdb:", "rocksdb://", "rocksdb:///", "rocksdb://host/path", "rocksdb://relative",
        "hbase:///x", "rocksdb:///x?y=1", "rocksdb:///x#f", "ROCKSDB:///x", "/abs/path"}) {
    EXPECT_THROW(rocksdb_path_from_url(bad), std::invalid_argument) << bad;
  }
}

TEST(RowCodecTest, RoundTripsBinaryColumnsAndRejectsTruncation) {
  const Columns columns{
      {"", "empty qualifier"}, {"a", ""}, {std::string("n\0ul", 4), std::string(300, '\xff')}};
  const std::string value = encode_row_value(columns);
  EXPECT_EQ(decode_row_value(value), columns);
  EXPECT_TRUE(decode_row_value(encode_row_value({})).empty());
  EXPECT_THROW(decode_row_value(value.substr(0, value.size() - 1)), std::runtime_error);
  EXPECT_THROW(decode_row_value("\x05"
                                "ab"),
               std::runtime_error);
}

}  // namespace
}  // namespace chirp::store::kv::testing
