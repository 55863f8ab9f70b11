#pragma once
// Gatekeepers in the SQL table `gatekeepers` (SPEC §11): the store of the embedded stack, and the
// durable copy behind Redis on the full stack.
#include "domain/gatekeepers.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlGatekeeperStore final : public domain::GatekeeperStore {
 public:
  explicit SqlGatekeeperStore(Database& database) : database_(database) {}

  std::optional<domain::Gatekeeper> get(std::string_view name) override;
  std::vector<domain::Gatekeeper> list() override;
  void save(const domain::Gatekeeper& gatekeeper) override;

 private:
  Database& database_;
};

}  // namespace chirp::store::sql
