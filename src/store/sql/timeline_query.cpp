#include "store/sql/timeline_query.hpp"

#include <soci/soci.h>

#include <algorithm>

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL.
constexpr std::string_view kNewerThan = " AND created_at > :after";
constexpr std::string_view kOlderThan = " AND created_at < :before";
constexpr std::string_view kOrderBy = " ORDER BY ";
constexpr std::string_view kLimit = " LIMIT :limit";

}  // namespace

std::string ranged_query(std::string_view select, std::string_view order_by,
                         const domain::TimeRange& range, std::vector<long long>& params,
                         std::string_view name_suffix) {
  std::string sql(select);
  if (range.after) {
    sql += kNewerThan;
    sql += name_suffix;
    params.push_back(*range.after);
  } else if (range.before) {
    sql += kOlderThan;
    sql += name_suffix;
    params.push_back(*range.before);
  }
  sql += kOrderBy;
  sql += order_by;
  sql += kLimit;
  sql += name_suffix;
  params.push_back(static_cast<long long>(range.limit));
  return sql;
}

std::vector<domain::TimelineItem> fetch_timeline(soci::session& session, const std::string& sql,
                                                 std::vector<long long>& params) {
  long long id = 0;
  long long created_at = 0;
  soci::details::prepare_temp_type query = (session.prepare << sql);
  query, soci::into(id), soci::into(created_at);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute();
  std::vector<domain::TimelineItem> items;
  while (statement.fetch()) items.push_back({id, created_at});
  return items;
}

std::vector<std::int64_t> fetch_ids(soci::session& session, const std::string& sql,
                                    std::vector<long long>& params) {
  long long id = 0;
  soci::details::prepare_temp_type query = (session.prepare << sql);
  query, soci::into(id);
  for (long long& param : params) query, soci::use(param);
  soci::statement statement(query);
  statement.execute();
  std::vector<std::int64_t> ids;
  while (statement.fetch()) ids.push_back(id);
  return ids;
}

void keep_newest(std::vector<domain::TimelineItem>& items, std::size_t limit) {
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  if (items.size() > limit) items.resize(limit);
}

}  // namespace chirp::store::sql
