#pragma once
// The options of `traitlab finetune`, defined once (defaults shown by --help),
// and their validation (each message names the flag). The training settings
// are a FinetuneSpec (finetune/finetune_run.h); the trajectory options
// (--out-h5, --probe-*, --entropy-*) are the CLI's own.
#include <string>

#include "experiments/cli/common_options.h"
#include "finetune/finetune_run.h"

namespace traitlab::cli {

struct FinetuneOptions {
  ModelOptions mo;
  FinetuneSpec spec;
  std::string lora_targets = "q_proj,v_proj";
  bool no_shuffle = false;
  // trajectory file and trait probe
  std::string out_h5;
  int64_t probe_every = 0;  // > 0 switches the probe on
  std::string probe_conditions = "none";
  std::string probe_instrument = "trait-builtin";
  std::string probe_traits = "all";
  int probe_items = 3;
  uint64_t probe_seed = 0;
  int probe_bootstrap = 200;
  int probe_batch_size = 8;
};

void add_finetune_options(po::options_description& desc, FinetuneOptions& fo);
// Fills fo.spec from the flags and validates it (InputError naming the flag).
void validate_finetune_options(FinetuneOptions& fo, const po::variables_map& vm);

}  // namespace traitlab::cli
