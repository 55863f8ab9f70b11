#include "store/sql/gatekeeper_store.hpp"

#include <soci/soci.h>

#include <string>

namespace chirp::store::sql {
namespace {

constexpr std::string_view kSelectOne =
    "SELECT name, percent, whitelist, description FROM gatekeepers WHERE name = :name";
constexpr std::string_view kSelectAll =
    "SELECT name, percent, whitelist, description FROM gatekeepers ORDER BY name";
constexpr std::string_view kUpsertSqlite =
    "INSERT INTO gatekeepers (name, percent, whitelist, description) "
    "VALUES (:name, :percent, :whitelist, :description) "
    "ON CONFLICT (name) DO UPDATE SET percent = excluded.percent, "
    "whitelist = excluded.whitelist, description = excluded.description";
constexpr std::string_view kUpsertMysql =
    "INSERT INTO gatekeepers (name, percent, whitelist, description) "
    "VALUES (:name, :percent, :whitelist, :description) "
    "ON DUPLICATE KEY UPDATE percent = VALUES(percent), whitelist = VALUES(whitelist), "
    "description = VALUES(description)";

struct GatekeeperRow {
  std::string name;
  int percent = 0;
  std::string whitelist;
  std::string description;

  // A whitelist that does not parse (edited by hand) counts as empty rather than failing reads.
  domain::Gatekeeper to_gatekeeper() const {
    return {name, percent, domain::parse_whitelist(whitelist).value_or(std::vector<domain::UserId>{}),
            description};
  }
};

}  // namespace

std::optional<domain::Gatekeeper> SqlGatekeeperStore::get(std::string_view name) {
  return database_.run([&](soci::session& session) -> std::optional<domain::Gatekeeper> {
    const std::string key(name);
    GatekeeperRow row;
    session << kSelectOne, soci::into(row.name), soci::into(row.percent), soci::into(row.whitelist),
        soci::into(row.description), soci::use(key);
    if (!session.got_data()) return std::nullopt;
    return row.to_gatekeeper();
  });
}

std::vector<domain::Gatekeeper> SqlGatekeeperStore::list() {
  return database_.run([&](soci::session& session) {
    GatekeeperRow row;
    soci::statement statement = (session.prepare << kSelectAll, soci::into(row.name),
                                 soci::into(row.percent), soci::into(row.whitelist),
                                 soci::into(row.description));
    statement.execute();
    std::vector<domain::Gatekeeper> out;
    while (statement.fetch()) out.push_back(row.to_gatekeeper());
    return out;
  });
}

void SqlGatekeeperStore::save(const domain::Gatekeeper& gatekeeper) {
  database_.run([&](soci::session& session) {
    const std::string whitelist = domain::format_whitelist(gatekeeper.whitelist);
    const int percent = gatekeeper.percent;
    session << (database_.dialect() == Dialect::Sqlite ? kUpsertSqlite : kUpsertMysql),
        soci::use(gatekeeper.name), soci::use(percent), soci::use(whitelist),
        soci::use(gatekeeper.description);
  });
}

}  // namespace chirp::store::sql
