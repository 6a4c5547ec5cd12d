#pragma once
// The /trait_trajectory table of a fine-tuning file (docs/hdf5-schema.md,
// "Fine-tuning files"): one row per (step, condition, instrument, trait),
// flushed as each probe finishes. Continued on resume; steps already in
// the table are reported by steps() so the probe skips them.
#include <set>
#include <vector>

#include "core/io/hdf5_file.h"
#include "experiments/probes/trait_probe.h"

namespace traitlab {

const TableSchema& trait_trajectory_schema();

class TrajectoryTable {
 public:
  // Opens or creates `trait_trajectory` in `group` (schema checked).
  explicit TrajectoryTable(H5Group& group);
  std::set<int64_t> steps();
  void append(const std::vector<ProbeRow>& rows);  // then flush

 private:
  H5Table table_;
};

}  // namespace traitlab
