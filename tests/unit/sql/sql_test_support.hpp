#pragma once
// A fresh, migrated database per test: a new SQLite file in a temporary directory, or a new MySQL
// database on the server named by CHIRP_TEST_MYSQL_URL (tests skip MySQL when it is unset).
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "store/sql/database.hpp"

namespace chirp::store::sql::testing {

enum class Backend { Sqlite, Mysql };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Sqlite ? "Sqlite" : "Mysql";
}

inline std::optional<std::string> mysql_test_url() {
  const char* url = std::getenv("CHIRP_TEST_MYSQL_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// A temporary directory removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "chirp-sql-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend, std::size_t pool_size = 8) {
    DatabaseOptions options;
    options.pool_size = pool_size;
    if (backend == Backend::Sqlite) {
      dir_.emplace();
      options.url = "sqlite://" + (dir_->path() / "db" / "chirp.db").string();
    } else {
      const std::string base = mysql_test_url().value();
      admin_ = std::make_unique<Database>(DatabaseOptions{base, 1});
      static std::atomic<int> counter{0};
      database_name_ = "chirp_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
      {
        auto lease = admin_->acquire();
        *lease << "DROP DATABASE IF EXISTS " + database_name_;
        *lease << "CREATE DATABASE " + database_name_ +
                      " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
      }
      options.url = base.substr(0, base.rfind('/') + 1) + database_name_;
    }
    url_ = options.url;
    database_ = std::make_unique<Database>(options);
  }

  ~TestDatabase() {
    database_.reset();
    if (admin_) {
      try {
        auto lease = admin_->acquire();
        *lease << "DROP DATABASE IF EXISTS " + database_name_;
      } catch (...) {
      }
    }
  }

  Database& operator*() { return *database_; }
  Database* operator->() { return database_.get(); }
  const std::string& url() const { return url_; }

 private:
  std::optional<TempDir> dir_;
  std::unique_ptr<Database> admin_;
  std::string database_name_;
  std::string url_;
  std::unique_ptr<Database> database_;
};

// Base fixture for tests parameterized by backend; the database is migrated.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Mysql && !mysql_test_url()) {
      GTEST_SKIP() << "set CHIRP_TEST_MYSQL_URL=mysql://user:pass@host:port/db to run MySQL tests";
    }
    database_.emplace(GetParam());
    (*database_)->migrate();
  }

  Database& database() { return **database_; }

  std::optional<TestDatabase> database_;
};

#define CHIRP_INSTANTIATE_BACKENDS(Suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                 \
                           ::testing::Values(::chirp::store::sql::testing::Backend::Sqlite, \
                                             ::chirp::store::sql::testing::Backend::Mysql), \
                           ::chirp::store::sql::testing::backend_name)

}  // namespace chirp::store::sql::testing
