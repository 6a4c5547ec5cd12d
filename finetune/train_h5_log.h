#pragma once
// The training log as HDF5 tables (docs/hdf5-schema.md, "Fine-tuning
// files"): /train_steps (one row per optimizer step) and /attention_entropy
// (one row per probe step and layer). Rows are flushed to disk as they are
// appended, so a kill loses at most the step being written. Opened with
// resume, the file's tables are continued: a step already in a table is not
// written again (on CPU a resumed run reproduces it bit for bit), so the
// tables read as one run. Other tables (the trait trajectory,
// experiments/probes/) go into the same file through file().
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/io/hdf5_file.h"
#include "finetune/hooks.h"

namespace traitlab {

const TableSchema& train_steps_schema();
const TableSchema& attention_entropy_schema();

class TrainH5Log : public TrainerHook {
 public:
  // A new file (an existing one is an InputError unless resume), or with
  // resume the existing file continued (created if absent).
  TrainH5Log(const std::string& path, bool resume);

  void on_step(const StepMetrics& m, TrainerControl&) override;
  void on_attention_entropy(int64_t step, const std::vector<double>& per_layer) override;

  H5File& file() { return file_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  H5File file_;
  H5Table steps_, entropy_;
  std::set<int64_t> step_rows_, entropy_rows_;  // steps already in the tables
};

}  // namespace traitlab
