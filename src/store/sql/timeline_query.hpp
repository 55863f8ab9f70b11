#pragma once
// Queries shared by the repositories whose lists page by TimeRange (SPEC §1.6): the range's
// condition, order and limit appended to a list's SELECT, and readers for rows of 64-bit integers.
#include <soci/session.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/timeline.hpp"

namespace chirp::store::sql {

// `select` reads (item id, created_at) and ends inside its WHERE clause ("... WHERE user_id =
// :user_id"); the table's time column is `created_at`. Returns the query with the range's
// condition, `ORDER BY <order_by>` and the limit, and appends their values to `params` (which
// already holds the values of `select`). With `after`, the newest `limit` items newer than it; else
// with `before`, the newest older ones; else the newest. `name_suffix` is appended to the
// placeholder names: SQLite binds equal names to one value, so each range in one query needs its
// own.
std::string ranged_query(std::string_view select, std::string_view order_by,
                         const domain::TimeRange& range, std::vector<long long>& params,
                         std::string_view name_suffix = {});

// Runs a query whose parameters are all 64-bit integers and whose rows are (id, created_at).
std::vector<domain::TimelineItem> fetch_timeline(soci::session& session, const std::string& sql,
                                                 std::vector<long long>& params);

// Runs a query whose parameters are all 64-bit integers and whose rows are one 64-bit integer.
std::vector<std::int64_t> fetch_ids(soci::session& session, const std::string& sql,
                                    std::vector<long long>& params);

// Newest first, ties by id descending, at most `limit`: merges the pages of several queries.
void keep_newest(std::vector<domain::TimelineItem>& items, std::size_t limit);

}  // namespace chirp::store::sql
