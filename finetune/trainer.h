#pragma once
// The training loop: micro-batches, gradient accumulation, clipping, a
// learning-rate schedule, hooks, evaluation, and checkpoints that resume
// exactly (bit-identical on CPU) after a kill.
//
// Order of work per optimizer step, as transformers' Trainer: the step's
// micro-batches (an accumulation group never spans an epoch boundary; the
// last group of an epoch may be shorter) run forward/backward; SFT divides
// each micro-batch's summed NLL by the loss tokens of the whole group, DPO
// its summed pair losses by the pairs of the group; then clipping, the
// optimizer update at lr * schedule(step), zeroed gradients.
//
// A non-finite loss or gradient norm stops the run before the update: the
// model is still the last good one, it is written as a checkpoint (unless
// the latest one already holds it) and the result says where.
//
// Hooks run with the model in evaluation mode (hooks.h): on_train_begin
// before the first step, on_step after each update, on_train_end at the end.
#include <memory>
#include <string>
#include <vector>

#include "finetune/data.h"
#include "finetune/hooks.h"
#include "finetune/optimizer.h"
#include "finetune/schedule.h"
#include "finetune/train_target.h"

namespace traitlab {

enum class Method { Sft, Dpo };
Method method_from_name(const std::string& name);  // sft | dpo

struct TrainerOptions {
  Method method = Method::Sft;
  double lr = 1e-4;
  int64_t epochs = 1;
  int64_t max_steps = 0;  // > 0 overrides epochs
  int64_t batch_size = 1;
  int64_t grad_accum = 1;
  int64_t warmup_steps = 0;
  ScheduleKind schedule = ScheduleKind::Linear;
  double max_grad_norm = 1.0;  // <= 0: no clipping
  double beta = 0.1;           // DPO
  uint64_t seed = 42;
  bool shuffle = true;     // a seeded permutation per epoch
  int64_t save_every = 0;  // checkpoint every N steps (0: only at the end)
  int64_t keep_checkpoints = 2;
  int64_t eval_every = 0;  // with eval data; 0: only at the end
  std::string out_dir;     // checkpoints go to out_dir/checkpoints/
  int64_t pad_id = 0;
  double peak_flops = 0.0;  // device peak FLOP/s for MFU (throughput.h); 0: MFU not computed
};

struct TrainData {
  std::vector<SftExample> sft;
  std::vector<PreferenceExample> pref;
  int64_t size(Method m) const;
};

struct TrainResult {
  int64_t steps = 0;  // optimizer steps done (including resumed ones)
  int64_t total_steps = 0;
  int64_t resumed_from = 0;  // step of the checkpoint resumed from (0: fresh)
  bool stopped = false;      // by a hook or a NaN
  bool non_finite = false;
  std::string stop_reason;
  std::string last_checkpoint;  // directory
  std::vector<double> losses;   // per step, this process's steps only
};

class Trainer {
 public:
  Trainer(TrainTarget& target, Optimizer& optimizer, TrainData train, TrainerOptions opts);
  void set_eval_data(TrainData eval) { eval_ = std::move(eval); }
  void add_hook(std::shared_ptr<TrainerHook> hook) { hooks_.push_back(std::move(hook)); }

  int64_t total_steps() const;
  // The step of the checkpoint `run(true)` would resume from (0 if none).
  int64_t resumable_step() const;
  // resume: continue from out_dir/checkpoints/latest when it exists.
  TrainResult run(bool resume);
  // Mean loss over a data set (SFT: token-mean NLL; DPO: mean pair loss).
  double evaluate(const TrainData& data, std::map<std::string, double>* extra = nullptr);

 private:
  struct Cursor {
    int64_t step = 0, epoch = 0, micro = 0;
  };
  std::vector<int64_t> epoch_order(int64_t epoch) const;
  int64_t micro_per_epoch() const;
  std::string save_checkpoint(const Cursor& c, const std::vector<double>& history);
  Cursor load_checkpoint(const std::string& dir, std::vector<double>* history);

  TrainTarget& target_;
  Optimizer& opt_;
  TrainData train_, eval_;
  TrainerOptions o_;
  std::vector<std::shared_ptr<TrainerHook>> hooks_;
};

}  // namespace traitlab
