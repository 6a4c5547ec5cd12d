// traitlab _dummy-run: a hidden, test-only command. Runs the experiment
// runner with the deterministic dummy cell function (runner/dummy_cell.h),
// so crash-safety tests can kill a real process at random moments.
#include <iostream>

#include "experiments/cli/command.h"
#include "experiments/config/config_dump.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "experiments/runner/dummy_cell.h"

namespace {

namespace po = boost::program_options;
using namespace traitlab;

int run_dummy(int argc, char** argv) {
  po::options_description generic("Dummy run");
  generic.add(runner::run_control_options());
  generic.add_options()("items", po::value<int>()->default_value(4), "Rows per cell")(
      "sleep-ms", po::value<int>()->default_value(0), "Pause after each row");
  auto args = config::parse_args(argc, argv, generic);
  if (args.help) {
    std::cout << config::options_help("traitlab _dummy-run [options]", generic);
    return 0;
  }
  config::validate_config(args.config);
  if (args.dump_config) {
    std::cout << config::dump_config(args.config);
    return 0;
  }
  runner::RunOptions opts = runner::run_options_from(args.generic, argc, argv);
  opts.progress_interval_s = 5;
  runner::DummyCellOptions dummy;
  dummy.items = args.generic["items"].as<int>();
  dummy.sleep_ms = args.generic["sleep-ms"].as<int>();
  auto s = runner::run_experiment(args.config, opts, runner::dummy_cell_fn(dummy));
  std::cerr << s.output << ": " << s.cells_run << " cells run, " << s.cells_resumed << " resumed, "
            << (s.complete ? "complete" : "incomplete") << "\n";
  return 0;
}

const cli::Registrar registrar("_dummy-run", "(test only) run the dummy cell function", run_dummy);

}  // namespace
