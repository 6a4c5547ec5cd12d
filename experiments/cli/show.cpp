// traitlab show: what a results file holds (finished or partial runs).
#include <iostream>

#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/config/config_parse.h"
#include "experiments/runner/run_report.h"

namespace {

namespace po = boost::program_options;

int run_show(int argc, char** argv) {
  po::options_description desc("Options");
  desc.add_options()("help,h", "Show this help")("config", "Print only the stored config (INI)")(
      "file", po::value<std::string>(), "Results file (.h5)");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
  } catch (const po::error& e) {
    throw traitlab::InputError(traitlab::str("command line: ", e.what()));
  }
  if (vm.count("help") || !vm.count("file")) {
    std::cout << "Usage: traitlab show RESULTS.h5 [--config]\n\n" << desc;
    return vm.count("help") ? 0 : 2;
  }
  const std::string path = vm["file"].as<std::string>();
  traitlab::runner::LoadedResults r = traitlab::runner::load_results_file(path);
  if (vm.count("config")) {
    std::cout << r.state.header.config_text;
    return 0;
  }
  traitlab::runner::print_run_report(path, r, std::cout);
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(show, "Summarise a results file (status, provenance, tables)", run_show);
