#pragma once
// Running an experiment grid with crash-safe storage and resume.
//
//   Config cfg = ...validated...;
//   RunSummary s = run_experiment(cfg, options, [&](const Cell& cell, ResultSink& sink) {
//     ... measure, sink.append("responses", {...}) ...
//   });
//
// Files next to the results file <out> (output.path):
//   <out>          HDF5 results, rewritten atomically at checkpoints and at the end
//   <out>.journal  append-only checksummed journal: the truth while running;
//                  removed once the complete <out> is safely on disk
//   <out>.lock     flock'ed while a process writes the run
//   <out>.tmp      the next version of <out> being written
// An existing <out> or journal is never replaced unless overwrite is set;
// resume continues it after checking the config's identity keys, the shard
// and the input hashes are unchanged.
#include <boost/program_options.hpp>
#include <functional>
#include <iostream>
#include <string>

#include "experiments/config/config.h"
#include "experiments/runner/grid.h"
#include "experiments/runner/result_sink.h"
#include "experiments/runner/shard.h"

namespace traitlab::runner {

struct RunOptions {
  bool resume = false;
  bool overwrite = false;
  ShardSpec shard;
  std::string command_line;
  std::ostream* log = &std::cerr;  // notices and progress; nullptr for silence
  bool progress_tty = false;       // redraw a bar instead of printing lines
  double progress_interval_s = 30;
};

using CellFn = std::function<void(const Cell&, ResultSink&)>;

struct RunSummary {
  std::string output;
  int64_t cells_total = 0;    // cells of this shard
  int64_t cells_run = 0;      // computed by this call
  int64_t cells_resumed = 0;  // found done in the journal or file
  bool complete = false;
};

// `config` must be validated. An exception from `cell_fn` stops the run with
// the journal intact (resume continues after the last finished cell).
RunSummary run_experiment(const config::Config& config, const RunOptions& options,
                          const CellFn& cell_fn);

// --resume, --overwrite, --shard K/N for commands that run experiments.
boost::program_options::options_description run_control_options();
RunOptions run_options_from(const boost::program_options::variables_map& vm, int argc,
                            const char* const argv[]);

}  // namespace traitlab::runner
