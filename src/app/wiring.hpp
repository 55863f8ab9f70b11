#pragma once
// The one place that picks concrete implementations for the domain's interfaces (DESIGN §1).
#include <memory>

#include "api/api.hpp"
#include "api/services.hpp"
#include "app/config.hpp"

namespace chirp::app {

class Wiring {
 public:
  // Opens the stores named by `config`. Runs migrations when `migrate` is set.
  Wiring(const Config& config, bool migrate);
  ~Wiring();
  Wiring(const Wiring&) = delete;
  Wiring& operator=(const Wiring&) = delete;

  // Starts the in-process background workers (serve on the embedded stack); they stop when the
  // Wiring is destroyed.
  void start_background_workers();
  api::Services& services();
  domain::AccountService& accounts();
  domain::UserRepository& user_repository();
  const domain::PasswordHasher& password_hasher();
  int schema_version();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace chirp::app
