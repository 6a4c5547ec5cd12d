#pragma once
// Subcommand registry for the traitlab executable. Each command lives in
// its own file under experiments/cli/ and registers itself:
//   TRAITLAB_COMMAND(info, "Show a model's configuration and size", run_info);
// The run function receives argv with argv[0] = "traitlab <name>" and
// returns the exit code; it throws traitlab::Error for bad input.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace traitlab::cli {

using CommandFn = std::function<int(int argc, char** argv)>;

struct Command {
  std::string name;
  std::string summary;
  CommandFn run;
};

std::map<std::string, Command>& registry();

struct Registrar {
  Registrar(const std::string& name, const std::string& summary, CommandFn fn);
};

}  // namespace traitlab::cli

#define TRAITLAB_COMMAND(name, summary, fn) \
  static ::traitlab::cli::Registrar traitlab_registrar_##name(#name, summary, fn)
