// traitlab rerun: reproduce a run from its own results file. The stored
// config (root attribute `config`, the --dump-config text) is run again
// into a new file; at the end every result table is compared with the
// original's and the command says whether they are identical.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "core/util/device.h"
#include "core/util/error.h"
#include "experiments/cells/experiment_cell.h"
#include "experiments/cells/stored_config.h"
#include "experiments/cli/command.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "experiments/runner/progress.h"
#include "experiments/runner/provenance.h"
#include "experiments/runner/run_store.h"
#include "experiments/runner/runner.h"

namespace traitlab::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// Names of tables whose rows differ between two runs ("" = none).
std::string differing_tables(const runner::RunState& a, const runner::RunState& b) {
  std::set<std::string> differ;
  if (a.done.size() != b.done.size()) differ.insert("cells done");
  for (const auto& [index, rec] : a.done) {
    auto it = b.done.find(index);
    if (it == b.done.end()) continue;
    for (const auto& [name, table] : rec.tables) {
      auto t = it->second.tables.find(name);
      if (t == it->second.tables.end() || !(t->second == table)) differ.insert(name);
    }
  }
  std::string out;
  for (const auto& d : differ) out += (out.empty() ? "" : ", ") + d;
  return out;
}

int run_rerun(int argc, char** argv) {
  po::options_description desc("Options");
  std::string from, to;
  desc.add_options()("help,h", "Show this help")(
      "file", po::value(&from), "Results file to reproduce")("output,o", po::value(&to),
                                                             "New results file (required)")(
      "overwrite", "Replace an existing output file")("threads", po::value<int>()->default_value(0),
                                                      threads_help_here().c_str())(
      "device", po::value<std::string>(), "cpu, cuda or cuda:N (default: the stored one)")(
      "quiet", "No progress output");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(str("command line: ", e.what()));
  }
  if (vm.count("help")) {
    std::cout << "Usage: traitlab rerun RESULTS.h5 -o AGAIN.h5\n\nRuns the config stored in "
                 "RESULTS.h5 again and compares every table with the original.\n\n"
              << desc;
    return 0;
  }
  check_input(!from.empty(), "rerun: no results file given (traitlab rerun RESULTS.h5 -o NEW.h5)");
  check_input(!to.empty(), "rerun: --output/-o is required");
  check_input(fs::absolute(from) != fs::absolute(to), "rerun: --output must differ from ", from);
  auto original = runner::load_results_file(from);
  check_input(original.status == "complete", from, ": status '", original.status,
              "': finish it first (traitlab run --resume ", from, ")");

  config::Config cfg = config::parse_config_text(original.state.header.config_text, from);
  cfg.set("output.path", to, config::Origin{config::Origin::Kind::CommandLine, "--output", 0});
  if (vm.count("device"))
    cfg.set("run.device", vm["device"].as<std::string>(),
            config::Origin{config::Origin::Kind::CommandLine, "--device", 0});
  cfg.set("run.threads", std::to_string(vm["threads"].as<int>()),
          config::Origin{config::Origin::Kind::CommandLine, "--threads", 0});
  config::validate_config(cfg);
  set_threads(static_cast<int>(cfg.get_int("run.threads")));

  runner::RunOptions opts;
  opts.overwrite = vm.count("overwrite") > 0;
  opts.shard = original.state.header.shard;
  opts.command_line = runner::join_command_line(argc, argv);
  opts.progress_tty = runner::stderr_is_tty();
  if (vm.count("quiet")) opts.log = nullptr;
  auto s = runner::run_experiment(cfg, opts, cells::experiment_cell_fn(cfg, opts.log));
  auto again = runner::load_results_file(s.output);
  const std::string diff = differing_tables(original.state, again.state);
  if (diff.empty()) {
    std::cout << to << ": reproduces " << from << " (" << again.state.cells_done()
              << " cells, every table identical)\n";
    return 0;
  }
  std::cout << to << ": differs from " << from << " in: " << diff << "\n";
  return 1;
}

}  // namespace

TRAITLAB_COMMAND(rerun, "Reproduce a run from its results file and compare the tables", run_rerun);

}  // namespace traitlab::cli
