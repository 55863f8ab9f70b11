// chirp: one binary, several subcommands (DESIGN §1). Everything happens in app/commands.cpp.
#include <csignal>
#include <string>
#include <vector>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  // A peer that closed its socket must give an error on write (hiredis, rabbitmq-c and libmemcached
  // write with plain write()), not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  return chirp::app::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
