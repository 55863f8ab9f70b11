// chirp: one binary, several subcommands (DESIGN §1). Everything happens in app/commands.cpp.
#include <string>
#include <vector>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  return chirp::app::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
