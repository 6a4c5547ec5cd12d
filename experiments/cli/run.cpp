// traitlab run: run an experiment grid from INI config files (docs/configs.md)
// into one crash-safe HDF5 results file, then print the summary tables.
//   traitlab run exp.ini [--config more.ini] [--key value ...]
//   traitlab run --resume results.h5        (config taken from the file)
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/util/device.h"
#include "core/util/error.h"
#include "experiments/cells/experiment_cell.h"
#include "experiments/cells/experiment_report.h"
#include "experiments/cells/stored_config.h"
#include "experiments/cli/command.h"
#include "experiments/config/config_dump.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "experiments/runner/run_report.h"
#include "experiments/runner/run_store.h"

namespace traitlab::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// `run exp.ini` -> `--config exp.ini`; `run --resume out.h5` -> the stored
// config as a temporary INI file plus `--output out.h5`.
std::vector<std::string> rewrite_args(int argc, char** argv, std::string* temp_ini) {
  std::vector<std::string> out{argv[0]};
  bool resume = false;
  for (int i = 1; i < argc; ++i) resume |= std::string(argv[i]) == "--resume";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool takes_value = a.rfind("--", 0) == 0 && a.find('=') == std::string::npos &&
                             a != "--resume" && a != "--overwrite" && a != "--help" && a != "-h" &&
                             a != "--dump-config" && a != "--quiet";
    if (takes_value && i + 1 < argc) {
      out.push_back(a);
      out.push_back(argv[++i]);
      continue;
    }
    if (a.rfind("-", 0) != 0 && ends_with(a, ".h5")) {
      check_input(resume, a,
                  ": a results file is only accepted with --resume (or use "
                  "`traitlab rerun`)");
      *temp_ini =
          (fs::temp_directory_path() / ("traitlab-resume-" + std::to_string(::getpid()) + ".ini"))
              .string();
      std::ofstream(*temp_ini) << cells::stored_config_text(a);
      out.insert(out.begin() + 1, {"--config", *temp_ini});
      out.insert(out.end(), {"--output", a});
      continue;
    }
    if (a.rfind("-", 0) != 0) {
      out.insert(out.end(), {"--config", a});
      continue;
    }
    out.push_back(a);
  }
  return out;
}

int run_run(int argc, char** argv) {
  po::options_description generic("Run");
  generic.add(runner::run_control_options());
  generic.add_options()("quiet", "No progress output");
  std::string temp_ini;
  std::vector<std::string> args_text = rewrite_args(argc, argv, &temp_ini);
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code ec;
      if (!path.empty()) fs::remove(path, ec);
    }
  } cleanup{temp_ini};
  std::vector<const char*> args;
  for (const auto& a : args_text) args.push_back(a.c_str());
  auto parsed = config::parse_args(static_cast<int>(args.size()), args.data(), generic);
  if (parsed.help) {
    std::cout << config::options_help(
        "traitlab run EXP.ini [--config more.ini ...] [--section.key VALUE ...]\n"
        "       traitlab run --resume RESULTS.h5\n\n"
        "Runs the grid of techniques x traits x levels the config describes (docs/configs.md)\n"
        "and writes every response, score and condition to one HDF5 file (output.path).\n"
        "Recipes: experiments/*.ini.",
        generic);
    return 0;
  }
  config::validate_config(parsed.config);
  if (parsed.dump_config) {
    std::cout << config::dump_config(parsed.config);
    return 0;
  }
  runner::RunOptions opts = runner::run_options_from(parsed.generic, argc, argv);
  const bool quiet = parsed.generic.count("quiet") > 0;
  if (quiet) opts.log = nullptr;
  opts.progress_interval_s = 30;
  set_threads(static_cast<int>(parsed.config.get_int("run.threads")));

  auto s = runner::run_experiment(parsed.config, opts,
                                  cells::experiment_cell_fn(parsed.config, opts.log));
  auto loaded = runner::load_results_file(s.output);
  cells::print_experiment_summary(loaded, std::cout);
  std::cout << s.output << ": " << s.cells_run << " cells run, " << s.cells_resumed << " resumed, "
            << (s.complete ? "complete" : "incomplete") << "  (tables: traitlab show " << s.output
            << "; Python: examples/read_results.py)\n";
  return s.complete ? 0 : 1;
}

}  // namespace

TRAITLAB_COMMAND(run, "Run an experiment grid from a config file into one HDF5 results file",
                 run_run);

}  // namespace traitlab::cli
