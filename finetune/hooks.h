#pragma once
// What the trainer reports and how callers react: a TrainerHook sees every
// optimizer step, every evaluation and every checkpoint, and may ask the
// trainer to stop (TrainerControl). Loggers and early stopping are hooks.
//
// The trainer calls every hook with the model in evaluation mode (dropout
// off, LoRA adapters active): a hook may run the model (a trait probe, the
// attention-entropy probe) under torch::NoGradGuard; gradients are already
// zeroed when on_step runs. A hook that draws from torch's default generator
// must restore its state, or exact resume breaks.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace traitlab {

struct StepMetrics {
  int64_t step = 0;  // optimizer steps done, 1-based after the update
  int64_t total_steps = 0;
  int64_t epoch = 0;  // epoch of the step's data (0-based)
  double loss = 0.0;
  double lr = 0.0;
  double grad_norm = 0.0;      // before clipping
  int64_t tokens = 0;          // loss tokens (SFT) or completion tokens (DPO) in the step
  double seconds = 0.0;        // wall time of the step
  int64_t input_tokens = 0;    // every non-pad token the step's forward passes saw
  double tokens_per_s = 0.0;   // input_tokens / seconds
  int64_t peak_mem_bytes = 0;  // process peak (resources.h): max RSS, or CUDA peak
  double mfu = std::nan("");   // model FLOPs utilisation (throughput.h); NaN unless a peak is given
  std::map<std::string, double> extra;  // DPO: rewards/chosen, rewards/margins, ...
};

struct EvalMetrics {
  int64_t step = 0;
  double loss = 0.0;
  std::map<std::string, double> extra;
};

struct TrainerControl {
  bool stop = false;
  std::string reason;
  void request_stop(const std::string& why) {
    stop = true;
    if (reason.empty()) reason = why;
  }
};

class TrainerHook {
 public:
  virtual ~TrainerHook() = default;
  // Before the first step of this process: `step` is 0 for a fresh run, the
  // checkpoint's step after a resume.
  virtual void on_train_begin(int64_t step, int64_t total_steps, TrainerControl& control) {}
  virtual void on_step(const StepMetrics& m, TrainerControl& control) {}
  virtual void on_eval(const EvalMetrics& m, TrainerControl& control) {}
  virtual void on_checkpoint(const std::string& dir, int64_t step) {}
  // Mean attention entropy per layer (nats) on the run's fixed probe batch
  // (attention_entropy.h), delivered by AttentionEntropyHook.
  virtual void on_attention_entropy(int64_t step, const std::vector<double>& per_layer) {}
  // After the last step, unless the run stopped on a non-finite loss or
  // weights (the model is then not the trained one). `step`: steps done.
  virtual void on_train_end(int64_t step) {}
};

// One JSON object per line: {"kind": "step"|"eval"|"checkpoint", "step", ...}.
// Resuming at step s drops lines of later steps (they were lost with the
// killed run and will be written again).
class JsonlLogger : public TrainerHook {
 public:
  JsonlLogger(const std::string& path, int64_t resume_step);
  void on_step(const StepMetrics& m, TrainerControl&) override;
  void on_eval(const EvalMetrics& m, TrainerControl&) override;
  void on_checkpoint(const std::string& dir, int64_t step) override;
  void on_attention_entropy(int64_t step, const std::vector<double>& per_layer) override;

 private:
  std::string path_;
  std::ofstream out_;
};

// A human-readable line every `every` steps.
class ConsoleLogger : public TrainerHook {
 public:
  ConsoleLogger(std::ostream& os, int64_t every) : os_(os), every_(every < 1 ? 1 : every) {}
  void on_step(const StepMetrics& m, TrainerControl&) override;
  void on_eval(const EvalMetrics& m, TrainerControl&) override;

 private:
  std::ostream& os_;
  int64_t every_;
};

// Stops when the eval loss has not improved by min_delta for `patience` evaluations.
class EarlyStopping : public TrainerHook {
 public:
  EarlyStopping(int64_t patience, double min_delta) : patience_(patience), min_delta_(min_delta) {}
  void on_eval(const EvalMetrics& m, TrainerControl& control) override;

 private:
  int64_t patience_;
  double min_delta_;
  double best_ = 0.0;
  bool have_best_ = false;
  int64_t bad_ = 0;
};

}  // namespace traitlab
