#pragma once
// Joining shard results: `traitlab merge a.h5 b.h5 c.h5 -o all.h5`.
// The output equals an unsharded run of the same config: the same /cells
// and the same table rows in the same (grid) order; provenance lists the
// merged files. Refuses (InputError): inputs made by different configs
// (identity keys), a cell present in two inputs, and, unless allow_partial,
// incomplete inputs or cells no input covers. The output is written like a
// run's (temp + fsync + rename, under its lock) and an existing file is
// kept unless overwrite is set.
#include <iostream>
#include <string>
#include <vector>

namespace traitlab::runner {

struct MergeOptions {
  bool allow_partial = false;
  bool overwrite = false;
};

struct MergeSummary {
  int64_t cells_total = 0;
  int64_t cells_done = 0;
  bool complete = false;
};

MergeSummary merge_results(const std::vector<std::string>& inputs, const std::string& output,
                           const MergeOptions& options);

}  // namespace traitlab::runner
