#include "store/sql/outbox_repository.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

#include "common/time.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL. Pending rows are read through the (done, id) index.
constexpr std::string_view kInsertJob =
    "INSERT INTO outbox (kind, payload, created_at) VALUES (:kind, :payload, :created_at)";
constexpr std::string_view kSelectPendingJobs =
    "SELECT id, kind, payload, attempts FROM outbox WHERE done = 0 AND id > :after_id "
    "ORDER BY id LIMIT :limit";
constexpr std::string_view kMarkJobDone = "UPDATE outbox SET done = 1 WHERE id = :id";
constexpr std::string_view kRecordJobFailure =
    "UPDATE outbox SET attempts = attempts + 1 WHERE id = :id";
constexpr std::string_view kCountPendingJobs = "SELECT COUNT(*) FROM outbox WHERE done = 0";
constexpr std::string_view kOldestPendingJob = "SELECT MIN(created_at) FROM outbox WHERE done = 0";
constexpr std::string_view kPurgeDoneJobs =
    "DELETE FROM outbox WHERE done = 1 AND created_at < :older_than";

}  // namespace

std::int64_t insert_outbox_job(soci::session& session, const domain::Job& job) {
  const long long created_at = now_micros();
  session << kInsertJob, soci::use(job.kind), soci::use(job.payload), soci::use(created_at);
  long long id = 0;
  if (!session.get_last_insert_id("outbox", id)) {
    throw std::runtime_error("the database did not report the new outbox row's id");
  }
  return id;
}

std::int64_t SqlOutboxRepository::add(const domain::Job& job) {
  return database_.run([&](soci::session& session) { return insert_outbox_job(session, job); });
}

std::vector<domain::OutboxRow> SqlOutboxRepository::pending(std::int64_t after_id,
                                                            std::size_t limit) {
  if (limit == 0) return {};
  return database_.run([&](soci::session& session) {
    const long long after = after_id;
    const long long max_rows = static_cast<long long>(limit);
    long long id = 0;
    std::string kind;
    std::string payload;
    int attempts = 0;
    soci::statement statement =
        (session.prepare << kSelectPendingJobs, soci::into(id), soci::into(kind),
         soci::into(payload), soci::into(attempts), soci::use(after), soci::use(max_rows));
    statement.execute();
    std::vector<domain::OutboxRow> rows;
    while (statement.fetch()) rows.push_back({id, domain::Job{kind, payload}, attempts});
    return rows;
  });
}

void SqlOutboxRepository::mark_done(std::int64_t id) {
  database_.run([&](soci::session& session) {
    const long long row_id = id;
    session << kMarkJobDone, soci::use(row_id);
  });
}

void SqlOutboxRepository::record_failure(std::int64_t id) {
  database_.run([&](soci::session& session) {
    const long long row_id = id;
    session << kRecordJobFailure, soci::use(row_id);
  });
}

std::int64_t SqlOutboxRepository::pending_count() {
  return database_.run([](soci::session& session) {
    long long count = 0;
    session << kCountPendingJobs, soci::into(count);
    return static_cast<std::int64_t>(count);
  });
}

std::optional<Micros> SqlOutboxRepository::oldest_pending() {
  return database_.run([](soci::session& session) -> std::optional<Micros> {
    long long oldest = 0;
    soci::indicator ind = soci::i_null;
    session << kOldestPendingJob, soci::into(oldest, ind);
    if (ind != soci::i_ok) return std::nullopt;
    return oldest;
  });
}

std::int64_t SqlOutboxRepository::purge_done(Micros older_than) {
  return database_.run([&](soci::session& session) {
    const long long cutoff = older_than;
    soci::statement statement = (session.prepare << kPurgeDoneJobs, soci::use(cutoff));
    statement.execute(true);
    return static_cast<std::int64_t>(statement.get_affected_rows());
  });
}

}  // namespace chirp::store::sql
