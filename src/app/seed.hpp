#pragma once
// `chirp seed` (DESIGN §1): generates a synthetic data set (domain/seed_data.hpp) and bulk-writes
// it into a fresh SQL database (store/sql/seed_writer.hpp).
#include <ostream>

#include "app/config.hpp"
#include "domain/seed_data.hpp"

namespace chirp::app {

// The generator's options from the command's settings, ending now.
domain::SeedOptions seed_options(const Config& config);

// Prints progress lines and a summary on `out`. Exit status 2 when the options do not fit together
// or the database already has users (the seed only fills a fresh database), 0 on success.
int seed_command(const Config& config, std::ostream& out);

}  // namespace chirp::app
