#pragma once
#include <soci/session.h>

#include <optional>

#include "domain/social_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {
// mark_done keeps the row (done = 1), so operators and tests can see which jobs ran; purge_done
// deletes done rows older than a cutoff and is meant to run periodically (e.g. hourly with a
// cutoff of one day ago).
class SqlOutboxRepository final : public domain::OutboxRepository {
 public:
  explicit SqlOutboxRepository(Database& database) : database_(database) {}

  std::int64_t add(const domain::Job& job) override;
  std::vector<domain::OutboxRow> pending(std::int64_t after_id, std::size_t limit) override;
  void mark_done(std::int64_t id) override;
  void record_failure(std::int64_t id) override;
  std::int64_t pending_count() override;

  // created_at of the oldest job not yet done (how far fan-out lags), nullopt when none waits.
  std::optional<Micros> oldest_pending();

  // Deletes done rows created before `older_than`; returns how many.
  std::int64_t purge_done(Micros older_than);

 private:
  Database& database_;
};

// Inserts the job on the caller's session and returns its id: call it inside the transaction of
// the change that causes the job, so neither exists without the other.
std::int64_t insert_outbox_job(soci::session& session, const domain::Job& job);

}  // namespace chirp::store::sql
