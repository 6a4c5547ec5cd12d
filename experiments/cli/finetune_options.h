#pragma once
// The options of `traitlab finetune`, defined once (defaults shown by --help),
// and their validation (each message names the flag).
#include <nlohmann/json.hpp>
#include <string>

#include "experiments/cli/common_options.h"

namespace traitlab::cli {

struct FinetuneOptions {
  ModelOptions mo;
  std::string data, eval_data, out;
  std::string method = "sft";
  // LoRA
  int64_t lora_rank = 0;  // 0 with --full
  double lora_alpha = 16.0;
  double lora_dropout = 0.0;
  std::string lora_targets = "q_proj,v_proj";
  bool rslora = false;
  std::string adapter;  // start from this PEFT adapter
  // full fine-tuning
  bool full = false;
  std::string optimizer = "adamw";
  int64_t galore_rank = 8;
  int64_t galore_update_interval = 200;
  double galore_scale = 0.25;
  // optimisation
  double lr = 1e-4;
  double weight_decay = 0.0;
  double adam_beta1 = 0.9, adam_beta2 = 0.999, adam_eps = 1e-8;
  double max_grad_norm = 1.0;
  int64_t epochs = 1, max_steps = 0, batch_size = 1, grad_accum = 1, warmup_steps = 0;
  std::string schedule = "linear";
  // data and objectives
  int64_t max_length = 1024;
  std::string loss_on = "assistant";
  double beta = 0.1;
  uint64_t seed = 42;
  bool no_shuffle = false;
  // run control
  int64_t save_every = 0, keep_checkpoints = 2, eval_every = 0, early_stop_patience = 0;
  int64_t log_every = 1;
  bool resume = false, save_merged = false;
};

void add_finetune_options(po::options_description& desc, FinetuneOptions& fo);
void validate_finetune_options(FinetuneOptions& fo, const po::variables_map& vm);
// out/summary.json, atomically.
void write_summary(const std::string& out, const nlohmann::json& summary);

}  // namespace traitlab::cli
