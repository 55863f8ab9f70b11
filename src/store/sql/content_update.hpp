#pragma once
// Editing the text of a row (tweets, comments) and knowing whether the row exists.
#include <soci/soci.h>

#include <string>
#include <string_view>

#include "common/time.hpp"

namespace chirp::store::sql {

// Runs `update_sql` (binds content, updated_at, id) and answers whether the row exists: MySQL
// counts changed rows, not matched ones, so an edit to identical text reports 0 and `count_sql`
// (binds id) settles it.
inline bool update_text_row(soci::session& session, std::string_view update_sql,
                            std::string_view count_sql, long long id, std::string_view content,
                            Micros updated_at) {
  const std::string text(content);
  const long long updated = updated_at;
  soci::statement statement = (session.prepare << std::string(update_sql), soci::use(text),
                               soci::use(updated), soci::use(id));
  statement.execute(true);
  if (statement.get_affected_rows() > 0) return true;
  long long count = 0;
  session << std::string(count_sql), soci::into(count), soci::use(id);
  return count > 0;
}

}  // namespace chirp::store::sql
