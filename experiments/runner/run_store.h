#pragma once
// The HDF5 results file of a run (layout: docs/hdf5-schema.md, sections
// "Run status and provenance", "Cells", "Result tables"). It is never
// updated in place: every write builds "<path>.tmp", fsyncs it and renames
// it over <path>, so a crash leaves the previous complete file.
#include <string>

#include "experiments/runner/run_state.h"

namespace traitlab::runner {

// status: "running", "complete" or "partial" (a merge of some shards).
void write_results_file(const std::string& path, const RunState& state, const std::string& status);

struct LoadedResults {
  RunState state;
  std::string status;
};
// Reads a results file back (for show, merge and resume without journal).
// Its cells are recomputed from the stored config and checked against the
// stored ids. InputError naming the file for anything inconsistent, and for
// a file that makes libhdf5 crash or hang (it is read in a child process
// with a time limit first: core/util/child_guard.h).
LoadedResults load_results_file(const std::string& path);
// The same, in this process and without the guard (the fuzz target, and the
// guard's child).
LoadedResults read_results_file(const std::string& path);

}  // namespace traitlab::runner
