#pragma once
#include <string>
#include <vector>

namespace chirp::app {

// Entry point of the `chirp` binary: dispatches to a subcommand. Returns the exit status
// (0 success, 1 failure, 2 bad usage).
int run_cli(const std::vector<std::string>& args);

}  // namespace chirp::app
