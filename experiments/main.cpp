// traitlab: personality experiments on language models.
// main() is the only place that turns errors into exit codes: one line on
// stderr, 2 for bad input, 3 for I/O failures, 1 otherwise.
#include <c10/util/Exception.h>

#include <cstring>
#include <iostream>
#include <string>

#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/cli/out_of_memory.h"

namespace {

void print_usage() {
  std::cout << "traitlab "
            << "- personality experiments on language models\n\n"
            << "Usage: traitlab <command> [options]   (traitlab <command> --help for details)\n\n"
            << "Commands:\n";
  for (const auto& [name, cmd] : traitlab::cli::registry()) {
    if (name[0] == '_') continue;  // hidden, test-only commands
    std::string pad(name.size() < 14 ? 14 - name.size() : 1, ' ');
    std::cout << "  " << name << pad << cmd.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  auto& reg = traitlab::cli::registry();
  auto it = reg.find(name);
  if (it == reg.end()) {
    std::cerr << "traitlab: error: unknown command '" << name << "' (see traitlab --help)\n";
    return 2;
  }
  std::string prog = "traitlab " + name;
  std::vector<char*> args;
  args.push_back(prog.data());
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  try {
    return it->second.run(static_cast<int>(args.size()), args.data());
  } catch (const traitlab::Error& e) {
    std::cerr << "traitlab " << name << ": error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    if (auto oom = traitlab::cli::out_of_memory_message(e, name)) {
      std::cerr << "traitlab " << name << ": error: " << *oom << "\n";
      return 1;
    }
    const auto* c10_error = dynamic_cast<const c10::Error*>(&e);
    std::cerr << "traitlab " << name
              << ": error: " << (c10_error ? c10_error->what_without_backtrace() : e.what())
              << "\n";
    return 1;
  }
}
