#pragma once
// Bulk-writes `chirp seed`'s data set (domain/seed_data.hpp) into the SQL tables, bypassing the
// API and the fan-out: one transaction of prepared multi-row INSERTs, ids and counters included.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "domain/seed_data.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

// Which of the tables that may live in the wide-column store (DESIGN §6) to fill here.
struct SeedTables {
  bool friendships = true;
  bool newsfeeds = true;
};

class SeedWriter {
 public:
  // Called after each table with its name and the rows written to it.
  using Progress = std::function<void(std::string_view table, std::int64_t rows)>;

  explicit SeedWriter(Database& database) : database_(database) {}

  // True when the users table has a row: the seed only fills a fresh database.
  bool has_users();

  // Writes every row with `password_hash` for each user, in one transaction; friendships and news
  // feeds only when `tables` says so. Returns false and writes nothing when the database already
  // has users.
  bool write(const domain::SeedData& data, const std::string& password_hash, SeedTables tables,
             const Progress& progress);

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
