#pragma once
// One fine-tuning run as a library call, shared by `traitlab finetune` and
// the experiment runner: data from JSONL, a LoRA adapter or the full model,
// AdamW or GaLore, the trainer with its loggers (out/train_log.jsonl, the
// console), optional attention-entropy probes, checkpoints and resume, the
// final adapter/ or model/ (and merged/), out/summary.json.
//
// The checkpoint is trained in place: afterwards ck.model *is* the tuned
// model (LoRA adapters stay installed while the outcome's `target` lives;
// with save_merged they are merged into the weights), so measuring ck
// measures the tuned model.
//
// Errors: InputError (exit 2 in the CLI) for a bad spec or data, naming the
// flag or the file and line; IoError when out_dir cannot be written.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "finetune/data.h"
#include "finetune/hooks.h"
#include "finetune/train_target.h"
#include "finetune/trainer.h"

namespace traitlab {

struct FinetuneSpec {
  std::string model_dir;  // the base: adapter_config's base model, tokenizer files for model/
  std::string data, eval_data, out_dir;
  std::string method = "sft";  // sft | dpo
  // LoRA (lora_rank > 0 or adapter) or every weight (full)
  int64_t lora_rank = 0;
  double lora_alpha = 16.0;
  double lora_dropout = 0.0;
  std::vector<std::string> lora_targets = {"q_proj", "v_proj"};
  bool rslora = false;
  std::string adapter;  // start from this PEFT adapter
  bool full = false;
  std::string optimizer = "adamw";  // adamw | galore (full only)
  int64_t galore_rank = 8;
  int64_t galore_update_interval = 200;
  double galore_scale = 0.25;
  // optimisation
  double lr = 1e-4;
  double weight_decay = 0.0;
  double adam_beta1 = 0.9, adam_beta2 = 0.999, adam_eps = 1e-8;
  double max_grad_norm = 1.0;
  int64_t epochs = 1, max_steps = 0, batch_size = 1, grad_accum = 1, warmup_steps = 0;
  std::string schedule = "linear";  // constant | linear | cosine
  // data and objectives
  int64_t max_length = 1024;
  std::string loss_on = "assistant";  // assistant | all
  double beta = 0.1;                  // DPO
  uint64_t seed = 42;
  bool shuffle = true;
  // run control
  int64_t save_every = 0, keep_checkpoints = 2, eval_every = 0, early_stop_patience = 0;
  int64_t log_every = 1;  // console line every N steps; 0: no console output
  bool resume = false, save_merged = false;
  // diagnostics (attention_entropy.h, throughput.h)
  int64_t entropy_every = 0;         // 0: off
  int64_t entropy_rows = 4;          // probe batch: the first rows of the training data ...
  int64_t entropy_max_length = 128;  // ... cut to this many tokens
  double peak_flops = 0.0;           // device peak FLOP/s for MFU; 0: off

  // Checks everything that needs no model or data; InputError naming the flag.
  void validate() const;
  // The settings as JSON (for summaries and provenance).
  nlohmann::json to_json() const;
};

struct FinetuneOutcome {
  TrainResult result;  // steps, losses, stop reason, last checkpoint
  DataStats data;
  std::string final_dir;   // out/adapter or out/model; "" after a non-finite stop
  std::string merged_dir;  // out/merged with save_merged
  nlohmann::json summary;  // what out/summary.json holds
  // Owns the LoRA adapters installed on ck.model (or the full target);
  // dropping it removes unmerged adapters from the model.
  std::shared_ptr<TrainTarget> target;
};

// Trains ck in place. extra_hooks run after the built-in loggers, in order.
// A non-finite loss is not an exception: the outcome says so
// (result.non_finite) and names the last good checkpoint.
FinetuneOutcome run_finetune(Checkpoint& ck, const FinetuneSpec& spec,
                             const std::vector<std::shared_ptr<TrainerHook>>& extra_hooks = {});

}  // namespace traitlab
