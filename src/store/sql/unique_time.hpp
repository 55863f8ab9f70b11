#pragma once
// Inserting a row whose created_at must be unique within a list (SPEC §1.6: a tweet created in the
// same microsecond as another is stamped one microsecond later).
#include <soci/error.h>

#include "store/sql/sql_errors.hpp"

namespace chirp::store::sql {

// How far past its requested time a row may move before the insert gives up.
constexpr int kMaxTimeShifts = 10'000;

// Calls insert(created_at) and, while it fails on a unique key that is_time_key(key) accepts,
// moves created_at one microsecond later and calls it again; returns the time that was inserted.
// Meant for an open transaction: a unique violation fails only its statement, on SQLite and on
// MySQL alike, so the transaction goes on. Any other error propagates as the SOCI error, and so
// does a clash after kMaxTimeShifts moves (Database::run reports that as chirp::DuplicateKey).
template <class Insert, class IsTimeKey>
long long insert_at_free_time(long long created_at, Insert&& insert, IsTimeKey&& is_time_key) {
  for (int shift = 0;; ++shift) {
    try {
      insert(created_at);
      return created_at;
    } catch (const soci::soci_error& error) {
      const SqlErrorInfo info = classify_sql_error(error);
      if (info.kind != SqlErrorKind::UniqueViolation || !is_time_key(info.key) ||
          shift == kMaxTimeShifts) {
        throw;
      }
    }
    ++created_at;
  }
}

}  // namespace chirp::store::sql
