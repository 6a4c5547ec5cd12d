// traitlab merge: join the results of shards (--shard K/N) into one file.
#include "experiments/runner/merge.h"

#include <iostream>

#include "core/util/error.h"
#include "experiments/cli/command.h"
#include "experiments/config/config_parse.h"

namespace {

namespace po = boost::program_options;

int run_merge(int argc, char** argv) {
  po::options_description desc("Options");
  desc.add_options()("help,h", "Show this help")("output,o", po::value<std::string>(),
                                                 "Merged results file")(
      "allow-partial", "Merge incomplete shards and leave missing cells undone")(
      "overwrite", "Replace an existing output file")(
      "inputs", po::value<std::vector<std::string>>(), "Shard results files");
  po::positional_options_description pos;
  pos.add("inputs", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
  } catch (const po::error& e) {
    throw traitlab::InputError(traitlab::str("command line: ", e.what()));
  }
  if (vm.count("help")) {
    std::cout << "Usage: traitlab merge SHARD.h5... -o ALL.h5 [--allow-partial] [--overwrite]\n\n"
              << desc;
    return 0;
  }
  traitlab::check_input(vm.count("inputs") > 0, "command line: no input files given");
  traitlab::check_input(vm.count("output") > 0, "command line: -o/--output is required");
  traitlab::runner::MergeOptions opts;
  opts.allow_partial = vm.count("allow-partial") > 0;
  opts.overwrite = vm.count("overwrite") > 0;
  const std::string out = vm["output"].as<std::string>();
  auto s = traitlab::runner::merge_results(vm["inputs"].as<std::vector<std::string>>(), out, opts);
  std::cerr << out << ": " << s.cells_done << "/" << s.cells_total << " cells, "
            << (s.complete ? "complete" : "partial") << "\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(merge, "Join shard results files into one", run_merge);
