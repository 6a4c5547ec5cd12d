#include "experiments/cli/command.h"

namespace traitlab::cli {

std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> r;
  return r;
}

Registrar::Registrar(const std::string& name, const std::string& summary, CommandFn fn) {
  registry()[name] = Command{name, summary, std::move(fn)};
}

}  // namespace traitlab::cli
